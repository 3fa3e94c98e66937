import { t, type Lang } from '../i18n/messages.ts';
import { escapeHtml } from '../domain/text.ts';

export function layout(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Brygga</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 0 auto; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
  a { color: #0b4f8a; } li { margin-bottom: .6rem; } .meta { color: #555; font-size: .95em; }
  footer { margin-top: 2rem; border-top: 1px solid #ccc; font-size: .9em; color: #444; }
</style>
</head>
<body>
<header><a href="/"><strong>Brygga</strong></a> – ${escapeHtml(t(lang, 'app.tagline'))}</header>
<main>
${body}
</main>
<footer><p>${escapeHtml(t(lang, 'fairness'))}</p></footer>
</body>
</html>`;
}
