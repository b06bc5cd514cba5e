import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { renderHook, waitFor } from "../../test/render";
import { createQueryClient } from "../../api/query";
import { jsonResponse, mockRoutes } from "../../test/util";
import { accessTokenFixture } from "../../test/fixtures";
import { useAccessToken } from "./tokenQuery";

afterEach(() => vi.unstubAllGlobals());

describe("useAccessToken", () => {
  it("asks for the one token, showing what the token list holds meanwhile", async () => {
    let answer: (r: Response) => void = () => {};
    const { to } = mockRoutes({
      "GET /api/v1/orgs/acme/portal/tokens/t1": () => new Promise<Response>((r) => (answer = r)),
    });
    const client = createQueryClient();
    client.setQueryData(["org", "acme", "portal", "tokens"], [accessTokenFixture({ name: "Globex (listed)" })]);
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useAccessToken("acme", "t1"), { wrapper });
    expect(result.current.data?.name).toBe("Globex (listed)");
    expect(result.current.isPlaceholderData).toBe(true);
    await waitFor(() => expect(to("GET /api/v1/orgs/acme/portal/tokens/t1")).toHaveLength(1));
    answer(jsonResponse(accessTokenFixture({ name: "Globex AG" })));
    await waitFor(() => expect(result.current.data?.name).toBe("Globex AG"));
    expect(result.current.isPlaceholderData).toBe(false);
  });

  it("asks nothing when not enabled (viewers)", () => {
    const { fn } = mockRoutes({});
    const client = createQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useAccessToken("acme", "t1", false), { wrapper });
    expect(result.current.data).toBeUndefined();
    expect(fn).not.toHaveBeenCalled();
  });
});
