// Stands in for the host's composer, support and plans pages: shows what the widget passed.
const page = new URL(window.location.href).searchParams.get('page') ?? 'host';
document.getElementById('title').textContent = `The host's ${page} page`;
const params = [...new URL(window.location.href).searchParams].filter(([k]) => k !== 'page');
document.getElementById('params').textContent = params.map(([k, v]) => `${k} = ${v}`).join('\n') || '(none)';
