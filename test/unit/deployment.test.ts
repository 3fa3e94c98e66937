// The deployment files (deploy/: systemd units, compose.yaml, Dockerfile) name
// only settings Brygga knows, with values it accepts in production, start the
// processes that exist, and check readiness at /readyz. They cannot be run
// here (no systemd, no container engine): this keeps them true to the code.
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { loadConfig, SETTINGS } from '../../src/config.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const exists = (path: string) => existsSync(new URL(`../../${path}`, import.meta.url));

/** KEY=value lines (an env file, or systemd Environment= lines with the prefix taken off). */
function envLines(text: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = line.match(new RegExp(`^${prefix}([A-Z][A-Z0-9_]*)=(.*)$`));
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The `environment:` mapping of compose.yaml's api service, ${VAR:?…} and ${VAR:-default} given sample values. */
function composeEnvironment(text: string): Record<string, string> {
  const block = text.split('\n');
  const start = block.findIndex((l) => l.includes('environment: &brygga'));
  const out: Record<string, string> = {};
  for (const line of block.slice(start + 1)) {
    const m = line.match(/^ {6}([A-Z][A-Z0-9_]*): (.*)$/);
    if (!m) break;
    out[m[1]] = m[2].replace(/^"|"$/g, '').replace(/\$\{([A-Z_]+):[?-]([^}]*)\}/g, (_, name: string) => SAMPLE[name] ?? 'file');
  }
  return out;
}

const SAMPLE: Record<string, string> = {
  PUBLIC_URL: 'https://brygga.example.se', SECRET_KEY: 'x'.repeat(64), MEILI_KEY: 'k'.repeat(32), MAIL_TRANSPORT: 'file',
};

describe('deployment files', () => {
  it('systemd: the API units run src/main.ts without workers, ready at /readyz; the worker units run workers/main.ts', () => {
    const api = read('deploy/systemd/brygga-api@.service');
    const workers = read('deploy/systemd/brygga-workers@.service');
    expect(api).to.match(/^ExecStart=\/usr\/bin\/node --import tsx src\/main\.ts$/m);
    expect(api).to.match(/^Environment=WORKERS=off$/m).and.match(/\/readyz/);
    expect(workers).to.match(/^ExecStart=\/usr\/bin\/node --import tsx workers\/main\.ts$/m);
    expect(exists('src/main.ts') && exists('workers/main.ts')).to.equal(true);
  });

  it('systemd: every setting named is one Brygga reads, and together they are a valid production configuration', () => {
    const shared = envLines(read('deploy/systemd/brygga.env.example'));
    const unit = envLines(read('deploy/systemd/brygga-api@.service').replaceAll('%i', '3000'), 'Environment=');
    for (const key of Object.keys({ ...shared, ...unit })) expect(SETTINGS, key).to.include(key);
    const config = loadConfig({ ...shared, ...unit, SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(config).to.include({ port: 3000, workers: 'off' });
  });

  it('compose: settings Brygga reads, valid in production; the API is healthy at /readyz and the workers wait for it', () => {
    const compose = read('deploy/compose.yaml');
    const env = composeEnvironment(compose);
    expect(Object.keys(env)).to.include.members(['DATABASE_URL', 'REDIS_URL', 'MEILI_URL', 'WORKERS']);
    for (const key of Object.keys(env)) expect(SETTINGS, key).to.include(key);
    expect(loadConfig(env)).to.include({ workers: 'off' });
    expect(compose).to.include("fetch('http://127.0.0.1:3000/readyz')");
    expect(compose).to.match(/workers:\n\s+build:[^\n]*\n\s+command: \["node", "--import", "tsx", "workers\/main\.ts"\]/);
    expect(compose).to.match(/api: \{ condition: service_healthy \}/);
    // The database is the compose file's PostgreSQL, and the API waits until it is ready.
    expect(env.DATABASE_URL).to.match(/^postgres:\/\/brygga:[^@]+@postgres:5432\/brygga$/);
    expect(compose).to.match(/postgres: \{ condition: service_healthy \}/).and.include('pg_isready');
    expect(read('deploy/Dockerfile')).to.match(/CMD \["node", "--import", "tsx", "src\/main\.ts"\]/);
  });
});
