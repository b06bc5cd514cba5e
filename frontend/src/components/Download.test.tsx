import { describe, expect, it } from "vitest";
import userEvent from "@testing-library/user-event";
import { render, screen } from "../test/render";
import { CopyableHash } from "./Download";

const HASH = "ab12".repeat(16);

describe("CopyableHash", () => {
  it("shows the whole hash with a button that copies it", async () => {
    const user = userEvent.setup();
    Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
    render(<CopyableHash value={HASH} label="the SHA-512" />);
    expect(screen.getByText(HASH).tagName).toBe("CODE");
    await user.click(screen.getByRole("button", { name: "Copy the SHA-512" }));
    expect(await navigator.clipboard.readText()).toBe(HASH);
    expect(screen.getByText("Copied to the clipboard")).toBeTruthy();
  });

  it("short: the first characters, the whole hash in the tooltip and on the clipboard", async () => {
    const user = userEvent.setup();
    Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
    render(<CopyableHash value={HASH} short={16} label="the SHA-256 of bom.json" />);
    const code = screen.getByText(`${HASH.slice(0, 16)}…`);
    expect(code.getAttribute("title")).toBe(HASH);
    await user.click(screen.getByRole("button", { name: "Copy the SHA-256 of bom.json" }));
    expect(await navigator.clipboard.readText()).toBe(HASH);
  });
});
