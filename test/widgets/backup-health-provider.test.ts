import { expect, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../widgets/index.ts';
import type { AlertFeed } from '../../widgets/alert-feed/component.ts';
import type { BackupHealthBadge } from '../../widgets/backup-health-badge/component.ts';
import type { BackupHealthProvider } from '../../widgets/backup-health-provider/component.ts';
import type { BackupHealthTable } from '../../widgets/backup-health-table/component.ts';
import { $, expectAccessible, mount, testEnv, until, type TestEnv } from './support.ts';

const DARK_SURFACE = 'rgb(13, 17, 23)';
const LIGHT_SURFACE = 'rgb(255, 255, 255)';
const surface = (element: Element) => getComputedStyle($(element, '[part~="base"]')!).backgroundColor;

describe('<backup-health-provider>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  async function mountProvider(token: string, theme?: string): Promise<BackupHealthProvider> {
    return mount<BackupHealthProvider>(html`<backup-health-provider api-base=${env.apiBase} token=${token} theme=${theme ?? 'auto'}>
      <backup-health-table></backup-health-table>
      <alert-feed></alert-feed>
    </backup-health-provider>`);
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    const provider = await mountProvider(env.tokens.read);
    const table = provider.querySelector('backup-health-table')!;
    await table.loadComplete;
    await expectAccessible(provider);
  });

  it('gives its widgets one API client, so they need no attributes and share one stream', async () => {
    const provider = await mountProvider(env.tokens.read);
    const table = provider.querySelector<BackupHealthTable>('backup-health-table')!;
    const feed = provider.querySelector<AlertFeed>('alert-feed')!;
    await table.loadComplete;
    await feed.loadComplete;
    expect(table.rows.length).to.be.greaterThan(0);
    expect(feed.alerts.length).to.be.greaterThan(0);
    expect(table.api).to.equal(provider.api);
    expect(feed.api).to.equal(provider.api);
    await until(() => provider.api!.stream.connected, 'one shared stream connected');
  });

  it('hands its theme down; a widget’s own theme attribute wins', async () => {
    const provider = await mountProvider(env.tokens.read, 'dark');
    const table = provider.querySelector<BackupHealthTable>('backup-health-table')!;
    const feed = provider.querySelector<AlertFeed>('alert-feed')!;
    feed.theme = 'light';
    await feed.updateComplete;
    await table.updateComplete;
    expect(surface(table)).to.equal(DARK_SURFACE);
    expect(surface(feed)).to.equal(LIGHT_SURFACE);
  });

  it("follows the viewer's colour scheme when the theme is auto", async () => {
    const provider = await mountProvider(env.tokens.read, 'auto');
    const table = provider.querySelector<BackupHealthTable>('backup-health-table')!;
    await table.updateComplete;
    expect(surface(table)).to.equal(LIGHT_SURFACE);
    await emulateMedia({ colorScheme: 'dark' });
    await until(() => surface(table) === DARK_SURFACE, 'dark scheme applied');
  });

  it('announces an expired token once, and every widget reloads when the host sets a new one', async () => {
    let expiredEvents = 0;
    const count = () => (expiredEvents += 1);
    document.addEventListener('bh-auth-expired', count);
    try {
      const provider = await mountProvider(env.tokens.expired);
      const table = provider.querySelector<BackupHealthTable>('backup-health-table')!;
      const feed = provider.querySelector<AlertFeed>('alert-feed')!;
      await until(() => $(table, '[part~="auth-expired"]') && $(feed, '[part~="auth-expired"]'), 'both widgets expired');
      expect(expiredEvents).to.equal(1);
      provider.token = env.tokens.read;
      await until(() => table.rows.length > 0 && feed.alerts.length > 0, 'both widgets reloaded');
      expect($(table, '[part~="auth-expired"]')).to.be.null;
    } finally {
      document.removeEventListener('bh-auth-expired', count);
    }
  });

  it('lets a widget with its own token use its own client', async () => {
    const provider = await mount<BackupHealthProvider>(html`<backup-health-provider api-base=${env.apiBase} token=${env.tokens.read}>
      <backup-health-badge api-base=${env.apiBase} token=${env.clientScoped.token}></backup-health-badge>
    </backup-health-provider>`);
    const badge = provider.querySelector<BackupHealthBadge>('backup-health-badge')!;
    await until(() => $(badge, '[part~="name"]'), 'badge rendered');
    expect(badge.api).to.not.equal(provider.api);
  });
});
