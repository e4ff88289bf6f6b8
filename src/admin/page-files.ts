import { Injectable } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * `public/` next to this file: under src/ when the tests run the TypeScript, and under dist/src/
 * after `npm run build`, which copies it there (scripts/build.js).
 */
export const PAGES_PUBLIC_DIR = join(__dirname, 'public');

/**
 * A line that stands for a partial: markup that several pages share (the identity provider's forms
 * of the settings page and the guide), kept once in `pages/_<name>.html`.
 */
const INCLUDE_LINE = /^([ \t]*)<!-- include (_[a-z0-9-]+\.html) -->$/gm;

/**
 * The pages and their assets, read once at start: they are small and do not change while the
 * service runs, and serving from memory means no request ever names a path on disk.
 */
@Injectable()
export class PageFiles {
  private readonly pages = withPartials(readFolder(join(PAGES_PUBLIC_DIR, 'pages')));
  private readonly assets = readFolder(join(PAGES_PUBLIC_DIR, 'assets'));

  page(name: string): StaticFile {
    const page = this.pages.get(name);
    if (!page) throw new Error(`The page ${name} is missing from ${PAGES_PUBLIC_DIR}`);
    return page;
  }

  asset(name: string): StaticFile | undefined {
    return this.assets.get(name);
  }
}

function readFolder(directory: string): ReadonlyMap<string, StaticFile> {
  if (!existsSync(directory)) {
    throw new Error(`The pages' files are missing from ${directory}: run \`npm run build\`, which copies them to dist/`);
  }
  return new Map(
    readdirSync(directory)
      .filter((name) => CONTENT_TYPES[extname(name)] !== undefined)
      .map((name) => [name, { body: readFileSync(join(directory, name)), contentType: CONTENT_TYPES[extname(name)] }]),
  );
}

/**
 * The pages with their include lines replaced by the partials, indented like the line, and without
 * the partials themselves, which are no page. Done as the files are read, so that a page goes out
 * whole: no script fills it in, and no build step writes it.
 */
function withPartials(files: ReadonlyMap<string, StaticFile>): ReadonlyMap<string, StaticFile> {
  const pages = new Map<string, StaticFile>();
  for (const [name, file] of files) {
    if (name.startsWith('_')) continue;
    if (extname(name) !== '.html') {
      pages.set(name, file);
      continue;
    }
    const html = file.body.toString('utf8').replace(INCLUDE_LINE, (_line, indent: string, partialName: string) => {
      const partial = files.get(partialName);
      if (!partial) throw new Error(`The page ${name} includes ${partialName}, which is missing from ${PAGES_PUBLIC_DIR}`);
      return partial.body
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (line ? indent + line : line))
        .join('\n');
    });
    pages.set(name, { ...file, body: Buffer.from(html) });
  }
  return pages;
}
