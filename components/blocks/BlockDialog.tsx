'use client';

import { useRef, useState } from 'react';
import type { BlockChoices } from '@/lib/blocks/choices';
import type { Collateral } from '@/lib/blocks/collateral';
import { EXPIRY_PRESETS, REASON_PRESETS } from '@/lib/blocks/presets';
import { messages } from '@/lib/messages';
import { BlockOptionFields, optionsBody, type OptionState } from './BlockOptionFields';
import { request } from './request';

const t = messages.blockDialog;

/**
 * The block dialog of an actor's or a cluster's page (rendered only for viewers holding block.manage; the routes
 * refuse everyone else with 403). The target is chosen among pseudonyms: the actor, the temporary accounts, and
 * the ranges they edited from with an allowed prefix length. A range block needs its collateral previewed first.
 */
export function BlockDialog(props: { of: { actorKey: string } | { clusterId: string }; members?: number }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [choices, setChoices] = useState<BlockChoices | null>(null);
  const [target, setTarget] = useState('');
  const [prefix, setPrefix] = useState<number | null>(null);
  const [opts, setOpts] = useState<OptionState>({
    wiki: '',
    expiry: EXPIRY_PRESETS[2],
    expiryOther: '',
    reasonPreset: REASON_PRESETS[0],
    reasonText: '',
    pages: '',
    namespaces: '',
    anonOnly: false,
    noCreate: true,
    autoblock: true,
  });
  const [preview, setPreview] = useState<{ key: string; c: Collateral } | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const query = 'clusterId' in props.of ? `cluster=${encodeURIComponent(props.of.clusterId)}` : `actor=${encodeURIComponent(props.of.actorKey)}`;
  const open = async () => {
    ref.current?.showModal();
    if (choices) return;
    try {
      const c = await request<BlockChoices>(`/api/blocks/choices?${query}`, 'GET');
      setChoices(c);
      const first = c.ranges[0];
      if (first) {
        setTarget(`range:${first.from}`);
        setPrefix(first.prefixes[0] ?? null);
      } else if (c.actor) setTarget(`actor:${c.actor.key}`);
      else if (c.accounts[0]) setTarget(`account:${c.accounts[0]}`);
      setOpts((o) => ({ ...o, wiki: c.wikis === '*' ? 'enwiki' : (c.wikis[0] ?? '') }));
    } catch (err) {
      setStatus({ ok: false, text: t.failed((err as Error).message) });
    }
  };

  const range = target.startsWith('range:') ? choices?.ranges.find((r) => `range:${r.from}` === target) : undefined;
  const targetBody = () => {
    const [kind, ...rest] = target.split(':');
    const v = rest.join(':');
    if (kind === 'range') return { type: 'range', from: v, prefix };
    if (kind === 'actor') return { type: 'actor', actorKey: v };
    return { type: 'account', name: v };
  };
  const previewKey = `${target}/${prefix}/${opts.wiki}`;
  const needsPreview = !!range && preview?.key !== previewKey;

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    try {
      setStatus({ ok: true, text: await fn() });
    } catch (err) {
      setStatus({ ok: false, text: t.failed((err as Error).message) });
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () =>
    run(async () => {
      const c = await request<Collateral>('/api/blocks/preview', 'POST', { target: targetBody(), wiki: opts.wiki });
      setPreview({ key: previewKey, c });
      return t.previewTitle(c.days);
    });
  const doBlock = () =>
    run(async () => {
      const b = await request<{ targetLabel: string }>('/api/blocks', 'POST', { target: targetBody(), options: optionsBody(opts) });
      return t.done(b.targetLabel);
    });
  const doMass = () =>
    run(async () => {
      const r = await request<{ blocks: unknown[]; skipped: number }>('/api/blocks/mass', 'POST', {
        clusterId: (props.of as { clusterId: string }).clusterId,
        options: optionsBody(opts),
      });
      return t.massDone(r.blocks.length, r.skipped);
    });

  return (
    <>
      <button type="button" onClick={() => void open()} data-testid="block-open">
        {t.open}
      </button>
      <dialog ref={ref} aria-labelledby="block-dialog-title" className="block-dialog" data-testid="block-dialog">
        <h2 id="block-dialog-title">{t.title}</h2>
        {!choices ? (
          <p>{status?.text ?? t.loading}</p>
        ) : (
          <form onSubmit={(e) => e.preventDefault()}>
            {choices.ranges.length + choices.accounts.length + (choices.actor ? 1 : 0) === 0 ? <p>{t.none}</p> : null}
            <label>
              {t.target}
              <select value={target} onChange={(e) => (setTarget(e.target.value), setPrefix(choices.ranges.find((r) => `range:${r.from}` === e.target.value)?.prefixes[0] ?? null))} data-testid="block-target">
                {choices.ranges.map((r) => (
                  <option key={r.from} value={`range:${r.from}`}>
                    {t.range(r.label, r.edits)}
                  </option>
                ))}
                {choices.actor ? <option value={`actor:${choices.actor.key}`}>{t.actor(choices.actor.label)}</option> : null}
                {choices.accounts.map((a) => (
                  <option key={a} value={`account:${a}`}>
                    {t.account(a)}
                  </option>
                ))}
              </select>
            </label>
            {range ? (
              <label>
                {t.prefix}
                <select value={prefix ?? ''} onChange={(e) => setPrefix(Number(e.target.value))} data-testid="block-prefix">
                  {range.prefixes.map((p) => (
                    <option key={p} value={p}>
                      /{p}
                    </option>
                  ))}
                </select>
                <small> {t.prefixNote}</small>
              </label>
            ) : null}
            <BlockOptionFields state={opts} onChange={setOpts} wikis={choices.wikis} global={choices.global} account={target.startsWith('account:')} />
            {range ? (
              <div className="collateral" data-testid="collateral">
                <button type="button" onClick={() => void doPreview()} disabled={busy} data-testid="block-preview">
                  {t.preview}
                </button>
                {preview && !needsPreview ? (
                  <p>
                    <strong>{t.previewTitle(preview.c.days)}:</strong> <span data-testid="collateral-counts">{t.counts(preview.c)}</span>
                    {preview.c.approximate ? <small> {t.approximate}</small> : null}
                  </p>
                ) : (
                  <p>
                    <small>{t.previewFirst}</small>
                  </p>
                )}
              </div>
            ) : null}
            <div className="dialog-actions">
              <button type="button" onClick={() => void doBlock()} disabled={busy || needsPreview || !target} data-testid="block-submit">
                {t.submit}
              </button>
              {'clusterId' in props.of && props.members ? (
                <button type="button" onClick={() => void doMass()} disabled={busy} data-testid="block-mass">
                  {t.mass(props.members)}
                </button>
              ) : null}
              <button type="button" onClick={() => ref.current?.close()}>
                {t.close}
              </button>
            </div>
          </form>
        )}
        {status ? (
          <p role="status" className={status.ok ? 'notice' : 'error'} data-testid="block-status">
            {status.text}
          </p>
        ) : null}
      </dialog>
    </>
  );
}
