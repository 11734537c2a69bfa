/**
 * The renderer's Content Security Policy, the same in Electron and in the preview: no remote content,
 * no eval (zod runs jitless), no plugins, no framing. Inline styles are allowed because Ant Design
 * injects its CSS-in-JS at run time; scripts stay 'self' only.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
];

/** As an HTTP header (preview bridge). */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** In the page's <meta> too (the dev server sends no header); browsers ignore frame-ancestors there. Electron's app:// handler sends the header. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');
