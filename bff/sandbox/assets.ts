/**
 * Pictures and pages the platforms link to, served by the sandbox itself so nothing ever
 * reaches out to the internet: avatars and post images as small SVGs, and plain pages for
 * profile links and post permalinks.
 */
import { createHash } from 'node:crypto';
import express from 'express';
import type { Response, Router } from 'express';
import { escapeHtml, htmlPage, sendHtml } from './errors.ts';
import { mediaUrl } from './oauth.ts';
import { avatarOwnerName, findPublication } from './seed.ts';

const PALETTE = ['#1b74e4', '#c13584', '#00a3a3', '#e4572e', '#6a4c93', '#2a9d8f', '#f4a261', '#264653'];

function colourOf(id: string): string {
  const byte = createHash('sha256').update(id).digest()[0] ?? 0;
  return PALETTE[byte % PALETTE.length] ?? '#555';
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
    .map((word) => word[0]?.toUpperCase() ?? '');
  return letters.slice(0, 2).join('') || '?';
}

function sendSvg(res: Response, svg: string): void {
  res.set({ 'Cache-Control': 'public, max-age=86400', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.type('image/svg+xml').send(svg);
}

export function assetsRouter(): Router {
  const router = express.Router();

  router.get('/avatars/:file', (req, res) => {
    const id = req.params.file.replace(/\.svg$/, '');
    const name = avatarOwnerName(id);
    if (!name) return void res.status(404).type('text/plain').send('No such avatar');
    sendSvg(
      res,
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">` +
        `<rect width="200" height="200" fill="${colourOf(id)}"/>` +
        `<text x="100" y="100" dy="0.35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="80" fill="#fff">` +
        `${escapeHtml(initials(name))}</text></svg>`,
    );
  });

  router.get('/media/:file', (req, res) => {
    const id = req.params.file.replace(/\.svg$/, '');
    const publication = findPublication(id);
    if (!publication) return void res.status(404).type('text/plain').send('No such image');
    const caption = publication.text.length > 40 ? `${publication.text.slice(0, 39)}…` : publication.text;
    sendSvg(
      res,
      `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1080" viewBox="0 0 1080 1080">` +
        `<rect width="1080" height="1080" fill="${colourOf(id)}"/>` +
        `<circle cx="540" cy="460" r="220" fill="#ffffff33"/>` +
        `<text x="540" y="880" text-anchor="middle" font-family="system-ui,sans-serif" font-size="44" fill="#fff">` +
        `${escapeHtml(caption)}</text></svg>`,
    );
  });

  router.get('/posts/:id', (req, res) => {
    const publication = findPublication(req.params.id);
    if (!publication) return void res.status(404).type('text/plain').send('No such post');
    sendHtml(
      res,
      200,
      htmlPage(
        `${publication.authorName} - sandbox post`,
        `<h1>${escapeHtml(publication.authorName)}</h1>\n<p>${escapeHtml(publication.text)}</p>\n` +
          `<img src="${escapeHtml(mediaUrl(res, publication.id))}" alt="">\n<p class="note">${escapeHtml(publication.createdTime)}</p>`,
      ),
    );
  });

  router.get('/profiles/:id', (req, res) => {
    const name = avatarOwnerName(req.params.id);
    if (!name) return void res.status(404).type('text/plain').send('No such profile');
    sendHtml(res, 200, htmlPage(`${name} - sandbox profile`, `<h1>${escapeHtml(name)}</h1>\n<p class="note">A sandbox profile.</p>`));
  });

  return router;
}
