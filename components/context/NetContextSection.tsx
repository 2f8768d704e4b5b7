import type { NetSummary } from '@/lib/context/summary';
import { messages } from '@/lib/messages';

/**
 * The IP context of an entity (server component): a one-line summary, the networks with their edit counts,
 * Tor/VPN flags from operator lists, how to read it, and the data's attribution (DB-IP's licence asks for a
 * link on every page that shows its results).
 */
export function NetContextSection({ net, actors = null }: { net: NetSummary; actors?: number | null }) {
  const t = messages.context;
  return (
    <section className="card" aria-labelledby="net-h" data-testid="net-context">
      <h2 id="net-h">{t.title}</h2>
      {net.withContext === 0 ? (
        <p className="empty">{t.none}</p>
      ) : (
        <>
          <p data-testid="net-summary">
            {t.summary(actors, net.networkCount, net.countries.length)}
            {net.countries.length ? `: ${net.countries.join(', ')}` : ''}
          </p>
          <div className="table-wrap">
            <table aria-label={t.title}>
              <thead>
                <tr>
                  <th scope="col">{t.asn}</th>
                  <th scope="col">{t.org}</th>
                  <th scope="col">{t.country}</th>
                  <th scope="col">{t.type}</th>
                  <th scope="col">{t.edits}</th>
                </tr>
              </thead>
              <tbody>
                {net.networks.map((n, i) => (
                  <tr key={`${n.asn}-${n.country}-${i}`} data-testid="net-row">
                    <td className="mono">{n.asn === null ? <span className="empty">{t.unknownAsn}</span> : `AS${n.asn}`}</td>
                    <td dir="auto">{n.org ?? ''}</td>
                    <td>{n.country ?? ''}</td>
                    <td>{t.types[n.type] ?? n.type}</td>
                    <td>{n.edits}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {net.networks.length >= 20 ? <p className="net-note">{t.more(net.networks.length)}</p> : null}
          {net.anon.tor || net.anon.vpn ? (
            <p className="notice" data-testid="net-anon">
              {t.anon(net.anon.tor, net.anon.vpn)}
            </p>
          ) : null}
        </>
      )}
      <p className="net-note">{t.note}</p>
      <ContextAttribution />
    </section>
  );
}

export function ContextAttribution() {
  const t = messages.context;
  return (
    <p className="net-note" data-testid="context-attribution">
      {t.attribution} <a href="https://db-ip.com">{t.dbip}</a>
    </p>
  );
}
