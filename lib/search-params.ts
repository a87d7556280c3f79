/** A page's query as Next.js hands it to a server page, or as the browser has it. */
export type RawSearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** The first value of `key` (a repeated parameter counts once, by its first value, in both forms). */
export function firstSearchParam(params: RawSearchParams, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Every parameter by its first value. */
export function firstSearchParams(params: RawSearchParams): Record<string, string | undefined> {
  const keys = params instanceof URLSearchParams ? new Set(params.keys()) : Object.keys(params);
  return Object.fromEntries([...keys].map((key) => [key, firstSearchParam(params, key)]));
}
