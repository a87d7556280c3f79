import { ListSkeleton } from "../../list-skeleton";

export default function PeaksLoading() {
  return <ListSkeleton />;
}
