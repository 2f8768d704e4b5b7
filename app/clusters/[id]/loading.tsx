import { EntitySkeleton } from '@/components/entities/EditsTable';

export default function Loading() {
  return <EntitySkeleton title="Cluster" />;
}
