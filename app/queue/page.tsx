import { requirePage } from '@/app/_lib/actor';
import { messages } from '@/lib/messages';

export default async function QueuePage() {
  await requirePage('queue.view');
  return (
    <>
      <h1>{messages.queue.title}</h1>
      <div className="card empty">{messages.queue.empty}</div>
    </>
  );
}
