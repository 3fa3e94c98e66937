import { t, type Lang } from '../i18n/messages.ts';
import { escapeHtml } from '../domain/text.ts';

export function layout(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Brygga</title>
<link rel="stylesheet" href="/assets/brygga.css">
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
