import { describe, expect, it, vi } from "vitest";
import { useState, type FormEvent } from "react";
import userEvent from "@testing-library/user-event";
import { render, screen } from "../test/render";
import { EmailField, MIN_PASSWORD, NewPasswordFields, PasswordField, useNewPassword } from "./AccountFields";

/** A form with the two fields: `onValid` gets the password when the form's own checks pass. */
function NewPasswordForm({ onValid, serverError }: { onValid: (password: string) => void; serverError?: string }) {
  const password = useNewPassword("They differ.");
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (password.check()) {
      onValid(password.next);
      password.clear();
    }
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <NewPasswordFields password={password} error={serverError} autoFocus />
      <button type="submit">Save</button>
    </form>
  );
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe("the new password fields", () => {
  it("are password inputs a password manager fills with a new password", () => {
    render(<NewPasswordForm onValid={() => {}} />);
    const next = input("New password");
    expect(next.type).toBe("password");
    expect(next.name).toBe("new_password");
    expect(next.getAttribute("autocomplete")).toBe("new-password");
    expect(next.required).toBe(true);
    expect(next.minLength).toBe(MIN_PASSWORD);
    expect(document.activeElement).toBe(next);
    expect(screen.getByText(`At least ${MIN_PASSWORD} characters.`)).toBeTruthy();
    const confirm = input("Confirm new password");
    expect(confirm.type).toBe("password");
    expect(confirm.name).toBe("confirm_password");
    expect(confirm.getAttribute("autocomplete")).toBe("new-password");
  });

  it("check the length and the confirmation, and clear once used", async () => {
    const onValid = vi.fn();
    const user = userEvent.setup();
    render(<NewPasswordForm onValid={onValid} />);
    await user.type(input("New password"), "short");
    await user.type(input("Confirm new password"), "other");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText(`Use at least ${MIN_PASSWORD} characters.`)).toBeTruthy();
    expect(screen.getByText("They differ.")).toBeTruthy();
    expect(input("New password").getAttribute("aria-invalid")).toBe("true");
    expect(onValid).not.toHaveBeenCalled();

    await user.clear(input("New password"));
    await user.type(input("New password"), "long enough now");
    await user.clear(input("Confirm new password"));
    await user.type(input("Confirm new password"), "long enough now");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(onValid).toHaveBeenCalledWith("long enough now");
    expect(screen.queryByText("They differ.")).toBeNull();
    expect(input("New password").value).toBe("");
    expect(input("Confirm new password").value).toBe("");
  });

  it("show the server's complaint about the new password when the form has none", () => {
    render(<NewPasswordForm onValid={() => {}} serverError="is too common" />);
    expect(screen.getByText("is too common")).toBeTruthy();
    expect(input("New password").getAttribute("aria-invalid")).toBe("true");
  });
});

describe("the account's password and e-mail fields", () => {
  function Form() {
    const [email, setEmail] = useState("");
    const [password, setPassword] = useState("");
    return (
      <>
        <EmailField error="unknown address" value={email} onChange={setEmail} />
        <PasswordField label="Password" name="password" autoComplete="current-password" value={password} onChange={setPassword} />
      </>
    );
  }

  it("are required, named and filled in by password managers as the account's", async () => {
    const user = userEvent.setup();
    render(<Form />);
    const email = input("E-mail");
    expect([email.type, email.name, email.getAttribute("autocomplete"), email.required]).toEqual(["email", "email", "username", true]);
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("unknown address")).toBeTruthy();
    const password = input("Password");
    expect([password.type, password.name, password.getAttribute("autocomplete"), password.required]).toEqual([
      "password",
      "password",
      "current-password",
      true,
    ]);
    await user.type(email, "ada@acme.example");
    await user.type(password, "secret");
    expect(email.value).toBe("ada@acme.example");
    expect(password.value).toBe("secret");
  });
});
