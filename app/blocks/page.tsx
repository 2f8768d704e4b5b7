import Link from 'next/link';
import { requirePage } from '@/app/_lib/actor';
import { BlockRowActions } from '@/components/blocks/BlockRowActions';
import { can } from '@/lib/auth/permissions';
import { blockLog, listBlocks, type BlockListRow } from '@/lib/blocks/queries';
import { REASON_PRESETS } from '@/lib/blocks/options';
import { messages } from '@/lib/messages';

export const dynamic = 'force-dynamic';

const t = messages.blocks;
const time = (s: string | null) => (s ? `${s.slice(0, 16).replace('T', ' ')} UTC` : t.indefinite);

function options(b: BlockListRow): string {
  const parts = [b.partialPages.length || b.partialNamespaces.length ? t.partial(b.partialPages.length, b.partialNamespaces.length) : t.sitewide];
  if (b.anonOnly) parts.push('anon-only');
  if (b.noCreate) parts.push('no account creation');
  if (b.autoblock) parts.push('autoblock');
  if (b.origin !== 'local') parts.push(`imported`);
  return parts.join(', ');
}

/** Active blocks (modify / unblock for those who hold block.manage on the block's wiki), ended ones, the block log. */
export default async function BlocksPage() {
  const viewer = await requirePage('block.view');
  const [active, ended, log] = await Promise.all([listBlocks(viewer), listBlocks(viewer, { ended: true }), blockLog(viewer)]);
  const preset = (reason: string) => REASON_PRESETS.find((p) => reason === p || reason.startsWith(`${p}: `));
  return (
    <>
      <h1>{t.title}</h1>
      <p className="notice">{t.note}</p>
      <h2>{t.active}</h2>
      {active.length === 0 ? (
        <div className="card empty">{t.empty}</div>
      ) : (
        <table className="entity-table" data-testid="blocks-table">
          <thead>
            <tr>
              {[t.cols.target, t.cols.wiki, t.cols.expires, t.cols.reason, t.cols.options, t.cols.by, t.cols.evasions, t.cols.sync, t.cols.actions].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {active.map((b) => {
              const p = preset(b.reason);
              return (
                <tr key={b.id} id={`block-${b.id}`} data-testid="block-row">
                  <td className="mono">
                    <Link href={`/blocks/${b.id}`} data-testid="block-link">
                      {b.targetLabel}
                    </Link>
                  </td>
                  <td>{b.wiki === '*' ? 'all wikis' : b.wiki}</td>
                  <td>{time(b.expiresAt)}</td>
                  <td dir="auto">{b.reason}</td>
                  <td>{options(b)}</td>
                  <td>{b.createdBy}</td>
                  <td data-testid="block-evasions">{b.evasions}</td>
                  <td data-testid="block-sync">
                    {b.sync.status}
                    {b.sync.error ? ` (${b.sync.error})` : ''}
                  </td>
                  <td>
                    {can(viewer, b.wiki === '*' ? 'block.global' : 'block.manage', b.wiki) ? (
                      <BlockRowActions
                        id={b.id}
                        label={b.targetLabel}
                        account={b.targetType === 'account'}
                        initial={{
                          expiry: 'indefinite',
                          reasonPreset: p ?? '',
                          reasonText: p ? b.reason.slice(p.length + 2) : b.reason,
                          pages: b.partialPages.join('\n'),
                          namespaces: b.partialNamespaces.join(', '),
                          anonOnly: b.anonOnly,
                          noCreate: b.noCreate,
                          autoblock: b.autoblock,
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>{t.ended}</h2>
      <ul data-testid="ended-blocks">
        {ended.slice(0, 100).map((b) => (
          <li key={b.id}>
            <Link className="mono" href={`/blocks/${b.id}`}>
              {b.targetLabel}
            </Link>{' '}
            on {b.wiki}: {b.ended!.reason} {time(b.ended!.at)}
            {b.ended!.by ? ` by ${b.ended!.by}` : ''}
            {b.sync.status === 'pending' || b.sync.status === 'failed' ? ` · sync ${b.sync.status}${b.sync.error ? ` (${b.sync.error})` : ''}` : ''}
          </li>
        ))}
      </ul>
      <h2>{t.log}</h2>
      {log.length === 0 ? (
        <p>{t.noLog}</p>
      ) : (
        <ol className="block-log" data-testid="block-log">
          {log.map((l) => (
            <li key={l.seq}>
              {time(l.at)} · {l.actor} · <strong>{l.action}</strong> {l.target ? <span className="mono">{l.target}</span> : null} {l.wiki ? `(${l.wiki})` : ''}
              {l.reason ? ` — ${l.reason}` : ''}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
