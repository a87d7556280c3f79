import { ListSkeleton } from "../list-skeleton";

/** The users page's shape while its server part renders: title and the accounts table. */
export default function UsersLoading() {
  return <ListSkeleton hasFilters={false} />;
}
