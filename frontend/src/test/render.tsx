import type { ReactElement, ReactNode } from "react";
import { render as rtlRender, type RenderOptions } from "@testing-library/react";
import { notifyManager, QueryClientProvider } from "@tanstack/react-query";
import { createQueryClient } from "../api/query";

export * from "@testing-library/react";

// Answers reach the screen in the same turn as they arrive (not on a timer), as a test that
// finds one element of a loaded screen expects of the rest.
notifyManager.setScheduler(queueMicrotask);

/** `render` with a fresh query cache for every screen (the app's defaults, but failures are not retried). */
export function render(ui: ReactElement, options: RenderOptions = {}) {
  const client = createQueryClient();
  const defaults = client.getDefaultOptions();
  client.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, retry: false } });
  const Inner = options.wrapper;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{Inner ? <Inner>{children}</Inner> : children}</QueryClientProvider>
  );
  return rtlRender(ui, { ...options, wrapper });
}
