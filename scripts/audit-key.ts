/**
 * npm run audit:key — print the public key that signs audit checkpoints (PEM) and its key id, creating the
 * key pair in the key store if the server has not yet. Give the PEM to whoever verifies without the key
 * store: `npm run audit:verify -- --public-key FILE`.
 */
import { loadOrCreateSigningKey } from '../lib/audit/signing';
import { loadConfig } from '../lib/config';

try {
  const key = loadOrCreateSigningKey(loadConfig().keysDir);
  process.stdout.write(`# audit checkpoint key ${key.keyId} (Ed25519)\n${key.publicKey.export({ type: 'spki', format: 'pem' }).toString()}`);
  process.exit(0);
} catch (err) {
  console.error(`audit:key: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
