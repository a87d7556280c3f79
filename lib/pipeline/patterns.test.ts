import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/synthetic/random";
import { createPatternMiner, headlineOf, tokenize } from "./patterns";

const template = (message: string) => tokenize(message).join(" ");

describe("tokenize", () => {
  it.each([
    ["Request 12 failed: connection refused to 10.0.0.12:5432", "Request <*> failed: connection refused to <*>"],
    ["Timeout after 3000ms calling https://pay.internal/api/v1/orders/123?x=1", "Timeout after <*> calling <*>"],
    ["User john.doe@example.com not found (id 550e8400-e29b-41d4-a716-446655440000)", "User <*> not found (id <*>)"],
    ["java.lang.NullPointerException at com.foo.Bar@1a2b3c4d", "java.lang.NullPointerException at com.foo.Bar@<*>"],
    ["Order 'A-1234 x' rejected at 2026-01-15T10:12:33.123Z, took 1.5s", "Order '<*>' rejected at <*>, took <*>"],
    ["pod payments-api-7f9c8d6b5-x2k4j OOMKilled", "pod <*> OOMKilled"],
    ["deadlock detected; trace 4bf92f3577b34da6a3ce929d0e0e4736", "deadlock detected; trace <*>"],
    ["retries=5 timeout=30s on S3Exception with OAuth2", "retries=<*> timeout=<*> on S3Exception with OAuth2"],
    ["failed ids 1, 2, 3, 4 in batch", "failed ids <*> in batch"],
    ["  spaced\tout   message  ", "spaced out message"],
    ["", "<empty>"],
  ])("masks %j", (message, expected) => {
    expect(template(message)).toBe(expected);
  });

  it("keeps numbers that name the error: HTTP statuses and error codes", () => {
    expect(template("Request failed with status code 503")).toBe("Request failed with status code 503");
    expect(template("Request failed with status code 503")).not.toBe(template("Request failed with status code 404"));
    expect(template("ORA-00001: unique constraint violated")).not.toBe(template("ORA-12541: unique constraint violated"));
  });

  it("masks a host with its port, and a host name alone, wherever it stands", () => {
    expect(template("proxy.example.net:5070 open through proxy socks.example.org:1080 HTTPS")).toBe("<*> open through proxy <*> HTTPS");
    expect(template("Connection to localhost:8080 refused")).toBe("Connection to <*> refused");
    expect(template('upstream timed out, server: shop.example.com, host: "shop.example.com"')).toBe('upstream timed out, server: <*>, host: "<*>"');
  });

  it("keeps dotted names that are not hosts, and a name before an id", () => {
    expect(template("java.lang.IllegalStateException in com.acme.orders.OrderService")).toBe("java.lang.IllegalStateException in com.acme.orders.OrderService");
    expect(template("ClientConnectionId:5f3a2b1c lost")).toBe("ClientConnectionId:<*> lost");
  });

  it("decides a token with marks it has kept before as it did then, wherever it stands", () => {
    const message = "com.acme.OrderException: order com.acme.Order@1a2b not found at db.example.com";
    const expected = ["com.acme.OrderException:", "order", "com.acme.Order@<*>", "not", "found", "at", "<*>"];
    expect(tokenize(message)).toEqual(expected);
    expect(tokenize(message)).toEqual(expected);
    expect(tokenize("failed at db.example.com and com.acme.OrderException:")).toEqual(["failed", "at", "<*>", "and", "com.acme.OrderException:"]);
    expect(tokenize("wrapped: com.acme.OrderException: db.example.com")).toEqual(["wrapped:", "com.acme.OrderException:", "<*>"]);
    // Same length, first, middle and last characters: remembered in the same place, and still told apart.
    expect(tokenize("com.acme.OtherException: boom")).toEqual(["com.acme.OtherException:", "boom"]);
    expect(tokenize("com.acme.OrderException: boom")).toEqual(["com.acme.OrderException:", "boom"]);
  });

  it("keeps a class name whose package has a digit, and still masks versions, numbered hosts and ids", () => {
    expect(template("org.springframework.security.oauth2.jwt.JwtDecoderInitializationException: Failed to resolve")).toBe(
      "org.springframework.security.oauth2.jwt.JwtDecoderInitializationException: Failed to resolve",
    );
    expect(template("psycopg2.errors.UniqueViolation: duplicate key")).not.toBe(template("psycopg2.errors.ForeignKeyViolation: duplicate key"));
    expect(template("upgrade to v1.2.3 failed on node-7.pod and db1.internal.example.com")).toBe("upgrade to <*> failed on <*> and <*>");
    expect(template("request ID.X1 refused")).toBe("request <*> refused");
  });

  it("masks a whole date: weekday and month names next to a day or a time", () => {
    expect(template("connection from 203.0.113.9 () at Sun Jul 10 03:04:05 2026")).toBe("connection from <*> at <*>");
    const miner = createPatternMiner();
    const withHost = miner.add("connection from 203.0.113.9 (host.example.com) at Tue Mar 3 17:00:00 2026");
    const withoutHost = miner.add("connection from 198.51.100.4 () at Sun Jul 10 03:04:05 2026");
    expect(miner.patternOf(withHost).id).toBe(miner.patternOf(withoutHost).id);
    expect(template("backup of Jul 10 done")).toBe(template("backup of Dec 24 done"));
    expect(template("12 Jul 2026 was a Sunday")).toBe("<*> was a Sunday");
    expect(template("Mon is a word, May I?")).toBe("Mon is a word, May I?");
  });

  it("masks values with units and symbols as one value", () => {
    expect(template("lifetime <1 sec")).toBe("lifetime <*>");
    expect(template("lifetime 00:01")).toBe("lifetime <*>");
    expect(template("1234 bytes (1.2 KB) sent, retry in 5 seconds")).toBe("<*> bytes (<*>) sent, retry in <*>");
    expect(template("estimated size 384.0 B, free 2.1 GB")).toBe(template("estimated size 12.5 MB, free 900.0 KB"));
    expect(template("CE sym 2, at 0x0b85eee0, mask 0x1f offset -3")).toBe("CE sym <*>, at <*>, mask <*> offset <*>");
  });

  it("keeps the keys of a trailing key: value list and masks its values", () => {
    expect(template("Total memory: 64172 MB, used: 512.00 MB")).toBe("Total memory: <*>, used: <*>");
    expect(template("Total memory: 64172 MB, used: 512.00 MB")).not.toBe(template("Total disk: 15 GB, used: 0.00 GB"));
  });

  it("masks a status inside a key: value list, and keeps one that ends an error", () => {
    expect(template('10.0.0.1 "GET /v2/servers HTTP/1.1" status: 404 len: 1893 time: 0.2477829')).toBe('<*> "<*>" status: <*> len: <*> time: <*>');
    expect(template("HTTP probe failed with statuscode: 503")).toBe("HTTP probe failed with statuscode: 503");
  });

  it("masks every value of a key=value list, words included, and keeps a lone key=word", () => {
    expect(template("authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.4 user=alice")).toBe(
      "authentication failure; logname= uid=<*> euid=<*> tty=<*> ruser= rhost=<*> user=<*>",
    );
    expect(template("acquire lock=233570404, flags=0x1, name=com.example.shop, ws=null")).toBe("acquire lock=<*>, flags=<*>, name=<*>, ws=<*>");
    expect(template("declined by acquirer: error_code=card_expired")).toBe("declined by acquirer: error_code=card_expired");
  });

  it("masks a dotted name with a path after it (an app component), not a class name", () => {
    expect(template("Displayed com.example.shop/.MainActivity: +391ms")).toBe("Displayed <*>");
    expect(template("Caused by com.acme.orders.OrderNotFoundException")).toBe("Caused by com.acme.orders.OrderNotFoundException");
  });

  it("masks a quoted value after key=", () => {
    expect(template('apparmor="DENIED" comm="cupsd" requested_mask="r"')).toBe('apparmor="<*>" comm="<*>" requested_mask="<*>"');
  });

  it("does not take an apostrophe inside a word for a quote", () => {
    expect(template("can't reach user's cart 'c-17'")).toBe("can't reach user's cart '<*>'");
  });
});

describe("headlineOf", () => {
  it("keeps the first line, so stack traces do not split a pattern", () => {
    expect(headlineOf("Failure 1\n  at a.b(C.java:12)")).toBe("Failure 1");
  });

  it("uses the exception line of a Python traceback", () => {
    expect(headlineOf("Traceback (most recent call last):\n  File \"app.py\", line 12, in handle\n    run()\nKeyError: 'user_id'\n")).toBe(
      "KeyError: 'user_id'",
    );
  });
});

describe("createPatternMiner", () => {
  it("groups messages that differ in variable values and gives them one id", () => {
    const miner = createPatternMiner();
    const handles = ["Payment 17 failed for order 9912", "Payment 18 failed for order 1", "Payment a1b2c3 failed for order 77"].map(miner.add);
    expect(new Set(handles.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
    expect(miner.patternOf(handles[0]!)).toMatchObject({ template: "Payment <*> failed for order <*>", count: 3 });
    expect(miner.patternOf(handles[0]!).examples).toEqual([
      "Payment 17 failed for order 9912",
      "Payment 18 failed for order 1",
      "Payment a1b2c3 failed for order 77",
    ]);
  });

  it("keeps different errors from the same place apart", () => {
    const miner = createPatternMiner();
    const refused = miner.add("Could not connect to orders-db: Connection refused");
    const reset = miner.add("Could not connect to orders-db: Connection reset");
    miner.add("Could not connect to orders-db: Connection refused");
    expect(miner.patternOf(refused).id).not.toBe(miner.patternOf(reset).id);
    expect(miner.patterns().map((pattern) => [pattern.template, pattern.count])).toEqual([
      ["Could not connect to orders-db: Connection refused", 2],
      ["Could not connect to orders-db: Connection reset", 1],
    ]);
  });

  it("takes a position for a variable once it has shown several different words, and merges those patterns", () => {
    const miner = createPatternMiner({ distinctWordsForVariable: 3 });
    const first = miner.add("Failed password for invalid user admin from 10.0.0.1 port 22");
    const second = miner.add("Failed password for invalid user oracle from 10.0.0.2 port 22");
    expect(miner.size()).toBe(2);
    const third = miner.add("Failed password for invalid user postgres from 10.0.0.3 port 22");
    expect(miner.size()).toBe(1);
    const ids = new Set([first, second, third].map((handle) => miner.patternOf(handle).id));
    expect(ids.size).toBe(1);
    expect(miner.patternOf(first)).toMatchObject({ template: "Failed password for invalid user <*> from <*> port <*>", count: 3 });
  });

  it("keeps one pattern when an optional detail is added at the end", () => {
    const miner = createPatternMiner();
    const line = (referrer: boolean) =>
      `*17 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: shop.example.com, host: "shop.example.com"${referrer ? ', referrer: "https://shop.example.com/cart"' : ""}`;
    const handles = [line(false), line(true), line(false)].map(miner.add);
    expect(new Set(handles.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
    expect(miner.patternOf(handles[0]!).template).toContain('referrer: "<*>"');
    const other = miner.add("*18 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, user: <*>");
    expect(miner.patternOf(other).id).not.toBe(miner.patternOf(handles[0]!).id);
  });

  it("keeps one pattern when an event is logged with or without a short ending that holds a value", () => {
    for (const order of [
      [true, false, true],
      [false, true, false],
    ]) {
      const miner = createPatternMiner();
      const handles = order.map((withEnding, index) =>
        miner.add(`total of ${index + 3} ddr error(s) detected and corrected${withEnding ? ` over ${index * 100 + 7} seconds` : ""}`),
      );
      expect(new Set(handles.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
      expect(miner.size()).toBe(1);
      expect(miner.match("total of 9 ddr error(s) detected and corrected over 12 seconds")?.id).toBe(miner.patternOf(handles[0]!).id);
    }
    const miner = createPatternMiner();
    const short = miner.add("Connection closed by 192.0.2.4");
    const longer = miner.add("Connection closed by 192.0.2.4 while reading");
    expect(miner.patternOf(short).id).not.toBe(miner.patternOf(longer).id);
  });

  it("merges templates that differ only in their first word once it has shown several words", () => {
    const miner = createPatternMiner({ distinctWordsForVariable: 3 });
    const first = miner.add("nginx.service: Failed with result 'exit-code'.");
    miner.add("docker.service: Failed with result 'exit-code'.");
    expect(miner.size()).toBe(2);
    miner.add("cron.service: Failed with result 'exit-code'.");
    const later = miner.add("snapd.service: Failed with result 'exit-code'.");
    expect(miner.size()).toBe(1);
    expect(miner.patternOf(later)).toMatchObject({ id: miner.patternOf(first).id, template: "<*> Failed with result 'exit-code'.", count: 4 });
    expect(miner.match("fwupd.service: Failed with result 'exit-code'.")?.id).toBe(miner.patternOf(first).id);
  });

  it("takes in the templates that differ only in their first word when a masked first value joins them", () => {
    const miner = createPatternMiner();
    const cron = miner.add("cron.service: Scheduled restart job, restart counter is at 23.");
    miner.add("postgresql@16-main.service: Scheduled restart job, restart counter is at 11.");
    miner.add("fwupd.service: Scheduled restart job, restart counter is at 8.");
    expect(miner.size()).toBe(1);
    expect(miner.patternOf(cron).template).toBe("<*> Scheduled restart job, restart counter is at <*>.");
  });

  it("takes a delimited value of several words for one value, and shows it as one wildcard", () => {
    const miner = createPatternMiner();
    const tail = "external staging directory: (null), external registry directory: (null)";
    const handles = [
      `Session: 3121_17 initialized by client WindowsUpdateAgent, ${tail}`,
      `Session: 3122_18 initialized by client DISM Package Manager Provider, ${tail}`,
      `Session: 3123_19 initialized by client UpdateAgentLCU, ${tail}`,
      `Session: 3124_20 initialized by client Windows Defender, ${tail}`,
    ].map((message) => miner.add(message));
    expect(new Set(handles.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
    expect(miner.patternOf(handles[0]!).template).toBe(`Session: <*> initialized by client <*> ${tail}`);
    const killed = ["[Mail]", "[Slack Helper]", "[Google Chrome Helper (Renderer)]"].map((name) =>
      miner.add(`memorystatus_kill_top_process: killing pid 4711 ${name} (vm-pageshortage 5) - available pages: 42`),
    );
    expect(new Set(killed.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
  });

  it("joins a list with one item more, but keeps apart words put before a value, and stretches that hold a code", () => {
    const miner = createPatternMiner();
    const scheduling = [
      "0/5 nodes are available: 6 Insufficient cpu. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.",
      "0/9 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. preemption: 0/9 nodes are available: 9 No preemption victims found for incoming pod.",
    ].map((message) => miner.add(message));
    expect(miner.patternOf(scheduling[0]!).id).toBe(miner.patternOf(scheduling[1]!).id);

    const password = ["root", "admin", "deploy"].map((user) => miner.add(`Failed password for ${user} from 10.0.0.1 port 22 ssh2`));
    const invalid = miner.add("Failed password for invalid user support from 10.0.0.2 port 22 ssh2");
    expect(miner.patternOf(invalid).id).not.toBe(miner.patternOf(password[0]!).id);

    const status = miner.add("Upstream call to billing failed with status 503 Service Unavailable, giving up after retries.");
    const other = miner.add("Upstream call to billing failed with status 404, giving up after retries.");
    expect(miner.patternOf(status).id).not.toBe(miner.patternOf(other).id);
  });

  it("takes two positions whose words vary together for variables, whichever differs first, but never a key=word", () => {
    const miner = createPatternMiner();
    const transitions = [
      ["NEW", "SCHEDULED"],
      ["NEW", "RUNNING"],
      ["SCHEDULED", "RUNNING"],
      ["RUNNING", "SUCCEEDED"],
      ["RUNNING", "RUNNING"],
    ].map(([from, to]) => miner.add(`task_1704150310754_0033_m_000002 Task Transitioned from ${from} to ${to}`));
    expect(new Set(transitions.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
    expect(miner.patternOf(transitions[0]!).template).toBe("<*> Task Transitioned from <*> to <*>");

    // Currency and code change together from the second message on: the code still names the error.
    const declined = [
      ["EUR", "card_expired"],
      ["GBP", "insufficient_funds"],
      ["USD", "card_expired"],
      ["CHF", "insufficient_funds"],
      ["JPY", "card_expired"],
    ].map(([currency, code]) => ({ code, handle: miner.add(`Charge ch_17 for 12.50 ${currency} declined by acquirer: error_code=${code}`) }));
    const idsOf = (code: string) => new Set(declined.filter((entry) => entry.code === code).map((entry) => miner.patternOf(entry.handle).id));
    const expired = idsOf("card_expired");
    expect([...idsOf("insufficient_funds")].filter((id) => expired.has(id))).toEqual([]);
  });

  it("takes '-' for an absent value, and an application id for a value", () => {
    const miner = createPatternMiner();
    const access = [
      '198.51.100.7 - - [26/Feb/2026:08:57:20 +0000] "GET /api/orders/14821 HTTP/1.1" 200 78277 "-" "curl/8.5"',
      '198.51.100.8 - alice [26/Feb/2026:08:58:20 +0000] "GET /static/app.js HTTP/1.1" 200 6916 "https://mail.example.com/" "curl/8.5"',
    ].map((message) => miner.add(message));
    expect(miner.patternOf(access[0]!).id).toBe(miner.patternOf(access[1]!).id);
    expect(template("ANR in com.example.shop (com.android.chrome/.MainActivity)")).toBe(
      template("ANR in com.android.systemui (com.example.shop/.MainActivity)"),
    );
    expect(template("Caused by com.acme.orders.OrderService")).toBe("Caused by com.acme.orders.OrderService");
  });

  it("keeps a pattern's first id when its template is refined", () => {
    const miner = createPatternMiner();
    const handle = miner.add("Cache miss for key orders");
    const id = miner.patternOf(handle).id;
    for (const key of ["payments", "users", "carts"]) miner.add(`Cache miss for key ${key}`);
    expect(miner.patternOf(handle)).toMatchObject({ id, template: "Cache miss for key <*>" });
  });

  it("gives the same ids on every run, and continues from stored patterns", () => {
    const messages = ["Timeout after 30s calling payments", "Timeout after 12s calling payments", "Disk full on node-7"];
    const ids = (miner: ReturnType<typeof createPatternMiner>) => messages.map((message) => miner.patternOf(miner.add(message)).id);
    const first = ids(createPatternMiner());
    expect(ids(createPatternMiner())).toEqual(first);
    const stored = createPatternMiner().patterns();
    const resumed = createPatternMiner(
      {},
      stored.map(({ id, template: text }) => ({ id, template: text })),
    );
    expect(resumed.patternOf(resumed.add("Timeout after 99s calling payments")).id).toBe(first[0]);
  });

  it("holds one pattern per logical error however many messages arrive", () => {
    const miner = createPatternMiner();
    for (let index = 0; index < 20_000; index += 1) {
      miner.add(`Order ${index} failed: timeout after ${index % 97}ms on shard ${index % 7}`);
      miner.add(`User ${index}@example.com locked after ${index % 5} attempts`);
    }
    expect(miner.size()).toBe(2);
    expect(miner.patterns().map((pattern) => pattern.count)).toEqual([20_000, 20_000]);
  });
});

describe("createPatternMiner with thousands of stored templates that differ in one name", () => {
  // A platform's patterns: one template per team for the same errors, many to a leaf of the tree.
  const teams = Array.from({ length: 300 }, (_, index) => `team${String.fromCharCode(97 + (index % 26), 97 + Math.floor(index / 26))}`);
  const shapes = [
    (team: string) => `Gateway call from ${team} failed after retries on route <*>`,
    (team: string) => `Payment for ${team} declined by <*> with code card_expired`,
    (team: string) => `Connection to ${team} database lost after <*>`,
  ];
  const known = teams.flatMap((team) => shapes.map((shape, index) => ({ id: `${team}-${index}`, template: shape(team) })));

  /** Messages of those shapes for known and new teams, values filled in, each a few times, in a seeded order. */
  function workload(seed: number, count: number): string[] {
    const random = createRandom(seed);
    const newTeams = ["north", "south", "east", "west", "up", "down"];
    return Array.from({ length: count }, () => {
      const team = random.chance(0.02) ? random.pick(newTeams) : random.pick(teams.slice(0, 40));
      const message = random.pick(shapes)(team);
      return message.replace("<*>", String(random.integer(1, 50_000)));
    });
  }

  it("counts a message, and the same message again, with its own team's template", () => {
    const miner = createPatternMiner({}, known);
    for (const route of [101, 102, 103])
      expect(miner.patternOf(miner.add(`Gateway call from teamhb failed after retries on route ${route}`)).id).toBe("teamhb-0");
    expect(miner.patternOf(miner.add("Payment for teamcd declined by visa with code card_expired")).id).toBe("teamcd-1");
    expect(miner.patterns().map((pattern) => [pattern.id, pattern.count])).toEqual([
      ["teamhb-0", 3],
      ["teamcd-1", 1],
    ]);
  });

  it("groups a workload with merges exactly as a miner that searches every leaf", () => {
    for (const seed of [1, 2, 3]) {
      const messages = workload(seed, 6_000);
      const indexing = createPatternMiner({}, known);
      const scanning = createPatternMiner({ indexLeavesFrom: Number.POSITIVE_INFINITY }, known);
      const ids = messages.map((message) => indexing.patternOf(indexing.add(message)).id);
      expect(ids, `seed ${seed}`).toEqual(messages.map((message) => scanning.patternOf(scanning.add(message)).id));
      expect(indexing.patterns(), `seed ${seed}`).toEqual(scanning.patterns());
      // The new teams made some of those templates merge: the index had to follow them.
      expect(indexing.patterns().some((pattern) => pattern.template.includes("for <*> declined") || pattern.template.includes("from <*> failed"))).toBe(true);
    }
  });
});

describe("PatternMiner.match", () => {
  it("finds a message's pattern without adding it", () => {
    const miner = createPatternMiner();
    miner.add("Timeout after 30s calling payments");
    const before = miner.patterns()[0]!;
    expect(miner.match("Timeout after 99s calling payments")).toEqual(before);
    expect(miner.patterns()[0]!.count).toBe(1);
    expect(miner.match("Disk full on node-7")).toBeNull();
  });
});
