'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { messages } from '@/lib/messages';
import { BlockOptionFields, optionsBody, type OptionState } from './BlockOptionFields';
import { request } from './request';

const t = messages.blocks;

/** Modify (reblock) and unblock of one active block on /blocks; the routes authorize again (403). */
export function BlockRowActions(p: { id: string; label: string; account: boolean; initial: Omit<OptionState, 'wiki' | 'expiryOther'> }) {
  const router = useRouter();
  const [mode, setMode] = useState<'none' | 'modify' | 'unblock'>('none');
  const [opts, setOpts] = useState<OptionState>({ ...p.initial, wiki: '', expiryOther: '' });
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const run = async (fn: () => Promise<string>) => {
    try {
      setStatus(await fn());
      setMode('none');
      router.refresh();
    } catch (err) {
      setStatus(messages.blockDialog.failed((err as Error).message));
    }
  };
  return (
    <div className="block-actions">
      <button type="button" className="small" onClick={() => setMode(mode === 'modify' ? 'none' : 'modify')} data-testid="block-modify">
        {t.modify}
      </button>{' '}
      <button type="button" className="small" onClick={() => setMode(mode === 'unblock' ? 'none' : 'unblock')} data-testid="block-unblock">
        {t.unblock}
      </button>
      {mode === 'modify' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await request(`/api/blocks/${p.id}`, 'PATCH', { options: optionsBody(opts, false) });
              return t.modified(p.label);
            });
          }}
        >
          <BlockOptionFields state={opts} onChange={setOpts} wikis={null} account={p.account} />
          <button type="submit">{t.modify}</button>
        </form>
      ) : null}
      {mode === 'unblock' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await request(`/api/blocks/${p.id}`, 'DELETE', { reason });
              return t.unblocked(p.label);
            });
          }}
        >
          <label>
            {t.unblockReason}
            <input value={reason} required maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="unblock-reason" />
          </label>
          <button type="submit" data-testid="unblock-confirm">
            {t.unblock}
          </button>
        </form>
      ) : null}
      {status ? <p role="status">{status}</p> : null}
    </div>
  );
}
