import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_ADDRESS_HEADER, connectionAddressOf, recordConnectionAddresses } from "./connection-address";

describe("connection addresses", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    recordConnectionAddresses();
    recordConnectionAddresses();
    server = http.createServer((request, response) => {
      response.end(JSON.stringify({ address: connectionAddressOf(request.headers[CONNECTION_ADDRESS_HEADER]) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("stamps each request with its connection's address, whatever the client wrote in the header", async () => {
    const plain = await fetch(url);
    expect(await plain.json()).toEqual({ address: "127.0.0.1" });
    const forged = await fetch(url, { headers: { [CONNECTION_ADDRESS_HEADER]: "guess 6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
    expect(await forged.json()).toEqual({ address: "127.0.0.1" });
  });

  it("believes no header it did not write", () => {
    expect(connectionAddressOf("guess 6.6.6.6")).toBeNull();
    expect(connectionAddressOf(undefined)).toBeNull();
    expect(connectionAddressOf("6.6.6.6")).toBeNull();
  });
});
