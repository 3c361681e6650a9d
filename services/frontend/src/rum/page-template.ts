import type { FastifyInstance } from 'fastify';

/**
 * The route template of a page path (`/product/OLJCESPC7Z` → `/product/:id`), so vitals are
 * labelled by the shop's own pages only: a path no GET route serves is `unmatched`.
 */
export function pageTemplateOf(app: FastifyInstance, path: string): string {
  const route = app.findRoute({ method: 'GET', url: path });
  if (!route) return 'unmatched';
  const names = new Map(Object.entries(route.params ?? {}).map(([name, value]) => [value, name]));
  if (names.size === 0) return path;
  return path
    .split('/')
    .map((segment) => {
      const name = names.get(safeDecode(segment));
      return name === undefined ? segment : name === '*' ? '*' : `:${name}`;
    })
    .join('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
