import { requirePage } from '@/app/_lib/actor';
import { messages } from '@/lib/messages';

export default async function NoAccess() {
  await requirePage();
  return (
    <div className="card">
      <h1>{messages.noAccess.title}</h1>
      <p>{messages.noAccess.body}</p>
    </div>
  );
}
