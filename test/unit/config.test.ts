import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('config', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).to.include({ port: 3000, databaseUrl: 'file:var/brygga.db', workers: 'inline', homeMunicipality: '1441' });
    expect(config.mail.transport).to.equal('file');
    expect(config.publicUrl).to.equal('http://localhost:3000');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', SMTP_URL: '' }).port).to.equal(3000);
  });

  it('takes a queue prefix in braces, for a Redis Cluster, and nothing half-braced', () => {
    expect(loadConfig({ QUEUE_PREFIX: '{brygga}' }).queuePrefix).to.equal('{brygga}');
    for (const bad of ['{brygga', 'brygga}', '{}', 'a:b', '{a}{b}']) expect(() => loadConfig({ QUEUE_PREFIX: bad }), bad).to.throw(ConfigError, 'QUEUE_PREFIX');
  });

  it('names every wrong key', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', WORKERS: 'sometimes', REDIS_URL: 'not a url' });
    expect(attempt).to.throw(ConfigError).with.property('message').that.includes('PORT').and.includes('WORKERS').and.includes('REDIS_URL');
  });

  it('requires SMTP_URL for the smtp transport', () => {
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp' })).to.throw(ConfigError, 'SMTP_URL');
    expect(loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://127.0.0.1:2525' }).mail.smtpUrl).to.equal('smtp://127.0.0.1:2525');
  });

  it('requires SECRET_KEY and PUBLIC_URL in production, naming the key', () => {
    const secret = 'a'.repeat(32);
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://brygga.lerum.se' })).to.throw(ConfigError, 'SECRET_KEY');
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: secret })).to.throw(ConfigError, 'PUBLIC_URL: required in production');
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: secret, PUBLIC_URL: 'https://brygga.lerum.se/' }).publicUrl).to.equal('https://brygga.lerum.se');
    // Outside production the default still serves development and tests.
    expect(loadConfig({ NODE_ENV: 'test' }).publicUrl).to.equal('http://localhost:3000');
  });

  it('rejects a database URL it cannot open', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).to.throw(ConfigError, 'DATABASE_URL');
  });
});
