// The npm entry registers <connections-panel> and <connections-summary>.
import 'connections-panel';
import { createApp } from 'vue';
import { App } from './app.ts';

createApp(App).mount('#app');
