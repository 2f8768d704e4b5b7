import { requirePage } from '@/app/_lib/actor';
import { messages } from '@/lib/messages';

export default async function BlocksPage() {
  await requirePage('block.view');
  return (
    <>
      <h1>{messages.blocks.title}</h1>
      <div className="card empty">{messages.blocks.empty}</div>
    </>
  );
}
