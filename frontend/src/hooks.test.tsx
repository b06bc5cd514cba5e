import { describe, expect, it, vi } from "vitest";
import type { ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "./test/render";
import { createQueryClient } from "./api/query";
import { useSubmit } from "./hooks";

const wrapper = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={createQueryClient()}>{children}</QueryClientProvider>
);

describe("useSubmit().submitIf", () => {
  it("submits when the form's own checks passed", async () => {
    const action = vi.fn(async (_name: string) => {});
    const { result } = renderHook(() => useSubmit(action), { wrapper });
    act(() => result.current.submitIf(true, "ada"));
    await waitFor(() => expect(action).toHaveBeenCalledWith("ada"));
  });

  it("otherwise does not, and forgets the server's last complaint", async () => {
    const action = vi.fn(async () => {
      throw new Error("refused");
    });
    const { result } = renderHook(() => useSubmit(action), { wrapper });
    await act(async () => {
      await result.current.submit();
    });
    expect(result.current.error?.message).toBe("refused");
    act(() => result.current.submitIf(false));
    await waitFor(() => expect(result.current.error).toBeNull());
    expect(action).toHaveBeenCalledTimes(1);
  });
});
