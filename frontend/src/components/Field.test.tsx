import { describe, expect, it } from "vitest";
import { useState } from "react";
import userEvent from "@testing-library/user-event";
import { render, screen } from "../test/render";
import { InputField } from "./Field";

function Name({ error }: { error?: string }) {
  const [name, setName] = useState("");
  return (
    <InputField
      label="Your name"
      optional
      hint="As colleagues know you."
      error={error}
      name="display_name"
      autoComplete="name"
      className="mono"
      value={name}
      onChange={setName}
    />
  );
}

describe("InputField", () => {
  it("labels its input, gives it the other props and reports what is typed", async () => {
    const user = userEvent.setup();
    render(<Name />);
    const input = screen.getByLabelText(/Your name/) as HTMLInputElement;
    expect(screen.getByText("(optional)")).toBeTruthy();
    expect(input.name).toBe("display_name");
    expect(input.getAttribute("autocomplete")).toBe("name");
    expect(input.className).toBe("mono");
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(input.getAttribute("aria-describedby")).toBe(screen.getByText("As colleagues know you.").id);
    await user.type(input, "Ada");
    expect(input.value).toBe("Ada");
  });

  it("marks the input invalid and describes it by the error", () => {
    render(<Name error="Enter your name." />);
    const input = screen.getByLabelText(/Your name/);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(screen.getByText("Enter your name.").id);
  });
});
