// A stand-in for the npm registry, for our scope only: it serves the packed
// tarballs as if they were published, so the stock app installs them with the
// README's own `npm install <name>` lines. Every other package comes from the
// real registry (npm asks this one only for our scope, see `npmrcLines`).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { manifestOf } from './pack.mjs';

function scopeOf(name) {
  return name.startsWith('@') ? name.split('/')[0] : undefined;
}

/** Starts the registry on a free local port; call close() when done. */
export async function startRegistry(packed) {
  const byName = new Map();
  const byFile = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url.split('?')[0]).slice(1);
    const tarball = byFile.get(path);
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(tarball).pipe(res);
      return;
    }
    const packument = byName.get(path);
    res.writeHead(packument ? 200 : 404, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    res.end(JSON.stringify(packument ?? { error: `${path} is not ours` }));
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  for (const p of packed) {
    const file = `tarballs/${basename(p.tarball)}`;
    byFile.set(file, p.tarball);
    byName.set(p.name, {
      name: p.name,
      'dist-tags': { latest: p.version },
      versions: {
        [p.version]: {
          ...manifestOf(p.tarball),
          dist: {
            tarball: `${url}/${file}`,
            integrity: p.integrity,
            shasum: p.shasum,
          },
        },
      },
    });
  }
  const scopes = [...new Set(packed.map(p => scopeOf(p.name)))];
  if (scopes.includes(undefined)) {
    throw new Error(
      'Our packages must be scoped: unscoped names would shadow the registry',
    );
  }
  return {
    url,
    /** .npmrc lines that send our scope's requests here. */
    npmrcLines: scopes.map(s => `${s}:registry=${url}/`),
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
