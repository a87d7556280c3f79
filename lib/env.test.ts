import { describe, expect, it } from "vitest";
import { EnvironmentError, parseEnvironment } from "@/lib/env.js";

const validSecret = "s".repeat(32);

function environmentError(source: Record<string, string | undefined>): EnvironmentError {
  try {
    parseEnvironment(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return error as EnvironmentError;
  }
  throw new Error("Expected parseEnvironment to fail");
}

describe("parseEnvironment defaults", () => {
  it("defaults PEAKS_DATA_DIR to .data", () => {
    expect(parseEnvironment({}).PEAKS_DATA_DIR).toBe(".data");
  });

  it("defaults PEAKS_CONFIG to values.yaml", () => {
    expect(parseEnvironment({}).PEAKS_CONFIG).toBe("values.yaml");
  });

  it("defaults PORT to the number 3000", () => {
    expect(parseEnvironment({}).PORT).toBe(3000);
  });

  it("defaults PEAKS_ADMIN_EMAIL to admin@localhost", () => {
    expect(parseEnvironment({}).PEAKS_ADMIN_EMAIL).toBe("admin@localhost");
  });

  it("defaults NODE_ENV to development", () => {
    expect(parseEnvironment({}).NODE_ENV).toBe("development");
  });

  it("leaves optional connections unset", () => {
    const environment = parseEnvironment({});
    expect(environment.DATABASE_URL).toBeUndefined();
    expect(environment.NEXTAUTH_SECRET).toBeUndefined();
    expect(environment.OIDC_ISSUER).toBeUndefined();
  });

  it("returns a frozen object", () => {
    const environment = parseEnvironment({});
    expect(Object.isFrozen(environment)).toBe(true);
    const writable = environment as { PORT: number };
    expect(() => {
      writable.PORT = 1;
    }).toThrow(TypeError);
    expect(environment.PORT).toBe(3000);
  });
});

describe("parseEnvironment DATABASE_URL", () => {
  it("accepts postgres://", () => {
    expect(parseEnvironment({ DATABASE_URL: "postgres://user:pw@db:5432/peaks" }).DATABASE_URL).toBe("postgres://user:pw@db:5432/peaks");
  });

  it("accepts postgresql://", () => {
    expect(parseEnvironment({ DATABASE_URL: "postgresql://db/peaks" }).DATABASE_URL).toBe("postgresql://db/peaks");
  });

  it("rejects mysql:// naming DATABASE_URL", () => {
    const error = environmentError({ DATABASE_URL: "mysql://db/peaks" });
    expect(error.message).toContain("DATABASE_URL");
    expect(error.problems).toEqual([expect.stringMatching(/^DATABASE_URL: must be a URL starting with postgresql:\/\/ or postgres:\/\//)]);
  });

  it("rejects a value that is not a URL", () => {
    expect(environmentError({ DATABASE_URL: "not a url" }).message).toContain("DATABASE_URL");
  });
});

describe("parseEnvironment empty values", () => {
  it("treats empty strings as unset", () => {
    const environment = parseEnvironment({
      DATABASE_URL: "",
      PEAKS_DATA_DIR: "",
      PEAKS_CONFIG: "",
      PORT: "",
      NEXTAUTH_SECRET: "",
      PEAKS_ADMIN_EMAIL: "",
      OIDC_ISSUER: "",
      OIDC_CLIENT_ID: "",
      OIDC_CLIENT_SECRET: "",
    });
    expect(environment.DATABASE_URL).toBeUndefined();
    expect(environment.PEAKS_DATA_DIR).toBe(".data");
    expect(environment.PEAKS_CONFIG).toBe("values.yaml");
    expect(environment.PORT).toBe(3000);
    expect(environment.NEXTAUTH_SECRET).toBeUndefined();
    expect(environment.PEAKS_ADMIN_EMAIL).toBe("admin@localhost");
    expect(environment.OIDC_ISSUER).toBeUndefined();
  });

  it("treats whitespace-only strings as unset", () => {
    const environment = parseEnvironment({ PEAKS_DATA_DIR: "   ", PORT: " " });
    expect(environment.PEAKS_DATA_DIR).toBe(".data");
    expect(environment.PORT).toBe(3000);
  });

  it("counts an empty OIDC_CLIENT_SECRET as missing", () => {
    const error = environmentError({ OIDC_ISSUER: "https://sso.example", OIDC_CLIENT_ID: "peaks", OIDC_CLIENT_SECRET: "" });
    expect(error.message).toContain("OIDC_ISSUER");
  });
});

describe("parseEnvironment NEXTAUTH_SECRET", () => {
  it("rejects a secret of 31 characters", () => {
    const error = environmentError({ NEXTAUTH_SECRET: "s".repeat(31) });
    expect(error.problems).toEqual([expect.stringMatching(/^NEXTAUTH_SECRET: must be at least 32 characters/)]);
  });

  it("accepts a secret of 32 characters", () => {
    expect(parseEnvironment({ NEXTAUTH_SECRET: validSecret }).NEXTAUTH_SECRET).toBe(validSecret);
  });
});

describe("parseEnvironment OIDC", () => {
  it("rejects OIDC_ISSUER without client id and secret, naming OIDC_ISSUER", () => {
    const error = environmentError({ OIDC_ISSUER: "https://sso.example" });
    expect(error.problems).toEqual([expect.stringMatching(/^OIDC_ISSUER: .*must be set together/)]);
  });

  it("rejects a client id and secret without OIDC_ISSUER", () => {
    const error = environmentError({ OIDC_CLIENT_ID: "peaks", OIDC_CLIENT_SECRET: "secret" });
    expect(error.message).toContain("OIDC_ISSUER");
  });

  it("accepts issuer, client id and secret together", () => {
    const environment = parseEnvironment({ OIDC_ISSUER: "https://sso.example", OIDC_CLIENT_ID: "peaks", OIDC_CLIENT_SECRET: "secret" });
    expect(environment.OIDC_ISSUER).toBe("https://sso.example");
    expect(environment.OIDC_NAME).toBe("Single sign-on");
  });
});

describe("parseEnvironment Elasticsearch credentials", () => {
  it("rejects ES_USERNAME without ES_PASSWORD", () => {
    const error = environmentError({ ES_USERNAME: "elastic" });
    expect(error.problems).toEqual([expect.stringMatching(/^ES_USERNAME: ES_USERNAME and ES_PASSWORD must be set together/)]);
  });

  it("rejects ES_PASSWORD without ES_USERNAME", () => {
    expect(environmentError({ ES_PASSWORD: "changeme" }).message).toContain("ES_PASSWORD must be set together");
  });

  it("accepts ES_USERNAME with ES_PASSWORD", () => {
    expect(parseEnvironment({ ES_USERNAME: "elastic", ES_PASSWORD: "changeme" }).ES_USERNAME).toBe("elastic");
  });
});

describe("parseEnvironment PORT", () => {
  it("parses a numeric PORT", () => {
    expect(parseEnvironment({ PORT: "8080" }).PORT).toBe(8080);
  });

  it('rejects PORT "abc"', () => {
    expect(environmentError({ PORT: "abc" }).problems).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it('rejects PORT "70000"', () => {
    expect(environmentError({ PORT: "70000" }).problems).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it('rejects PORT "0"', () => {
    expect(environmentError({ PORT: "0" }).message).toContain("PORT");
  });

  it('rejects a fractional PORT "80.5"', () => {
    expect(environmentError({ PORT: "80.5" }).message).toContain("PORT");
  });
});

describe("parseEnvironment with several problems", () => {
  it("lists every problem in one error", () => {
    const error = environmentError({ DATABASE_URL: "mysql://db/peaks", PORT: "abc", NEXTAUTH_SECRET: "short" });
    expect(error.problems).toHaveLength(3);
    expect(error.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^DATABASE_URL: /), expect.stringMatching(/^PORT: /), expect.stringMatching(/^NEXTAUTH_SECRET: /)]),
    );
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
    expect(error.message.startsWith("Invalid environment:\n")).toBe(true);
  });

  it("has the name EnvironmentError (the CLI entry point maps it to exit code 7)", () => {
    expect(environmentError({ PORT: "abc" }).name).toBe("EnvironmentError");
  });
});
