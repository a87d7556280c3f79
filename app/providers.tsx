"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

// No next-auth SessionProvider: the server pages read the session, and sign-in and sign-out
// need no provider. Its context changes once its /api/auth/session request answers, during
// hydration; a context change that reaches a page's streamed Suspense boundary (loading.tsx)
// while React still waits to reveal its server HTML makes React render the page again on the
// client, and the server copy stays in the document, hidden, until the reveal: every row twice.
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: true, retry: 1 } },
      }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
