import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { SecretDialog } from "./SecretDialog";

describe("SecretDialog (a token shown once)", () => {
  it("shows the secret with a clear warning, copies it, and forgets it when closed", async () => {
    const user = userEvent.setup();
    Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
    const onClose = vi.fn();
    render(
      <SecretDialog
        title="Access token created"
        noun="access token"
        name="ACME Corporation"
        secret="spt_abcdefghijklmnop"
        onClose={onClose}
      />,
    );
    const dialog = screen.getByRole("dialog", { name: "Access token created" });
    expect(within(dialog).getByText("Copy this access token now. It is only shown once.")).toBeTruthy();
    expect(dialog.getAttribute("aria-describedby")).toBeTruthy();
    const field = within(dialog).getByLabelText("Access token for ACME Corporation") as HTMLInputElement;
    expect(field.value).toBe("spt_abcdefghijklmnop");
    expect(field.readOnly).toBe(true);

    await user.click(within(dialog).getByRole("button", { name: "Copy access token" }));
    expect(await navigator.clipboard.readText()).toBe("spt_abcdefghijklmnop");
    expect(within(dialog).getByRole("button", { name: "Copied" })).toBeTruthy();
    expect(within(dialog).getByText("Copied to the clipboard")).toBeTruthy();

    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("moves focus into the dialog and gives it back to the opener", async () => {
    const opener = document.createElement("button");
    opener.textContent = "Create";
    document.body.appendChild(opener);
    opener.focus();
    const { unmount } = render(<SecretDialog title="API key created" noun="API key" secret="spk_x" onClose={() => {}} />);
    const dialog = screen.getByRole("dialog", { name: "API key created" });
    expect(dialog.contains(document.activeElement)).toBe(true);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });

  it("closes on Escape and on ×, through onClose (the owner then forgets the secret)", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(<SecretDialog title="API key created" noun="API key" secret="spk_x" onClose={onClose} />);
    const dialog = screen.getByRole("dialog");
    dialog.dispatchEvent(new Event("cancel", { cancelable: true }));
    expect(onClose).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
