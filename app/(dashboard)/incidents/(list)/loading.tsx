import { ListSkeleton } from "../../list-skeleton";

export default function IncidentsLoading() {
  return <ListSkeleton />;
}
