'use client';
import { useState } from 'react';

/** Download the (filtered) reveal trail: POST /api/reveal/export, audited on the server as reveal.export. */
export function ExportButtons({ filters }: { filters: Record<string, string> }) {
  const [error, setError] = useState<string | null>(null);
  async function download(format: 'csv' | 'json') {
    setError(null);
    const res = await fetch('/api/reveal/export', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      cache: 'no-store',
      body: JSON.stringify({ format, filters }),
    });
    if (!res.ok) {
      setError(((await res.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? 'Export failed.');
      return;
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `reveals.${format}`;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
  }
  return (
    <div className="inline">
      <button type="button" onClick={() => download('csv')}>
        Export CSV
      </button>{' '}
      <button type="button" onClick={() => download('json')}>
        Export JSON
      </button>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
