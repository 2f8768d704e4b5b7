import { requirePage } from '@/app/_lib/actor';
import { messages } from '@/lib/messages';

export default async function CheckuserPage() {
  await requirePage('ip.reveal');
  return (
    <>
      <h1>{messages.checkuser.title}</h1>
      <div className="card">{messages.checkuser.body}</div>
    </>
  );
}
