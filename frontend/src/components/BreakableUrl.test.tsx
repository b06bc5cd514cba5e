import { describe, expect, it } from "vitest";
import { render } from "../test/render";
import { BreakableEmail, BreakableUrl } from "./BreakableUrl";

describe("BreakableUrl", () => {
  it("may wrap only after slashes: the slug stays whole, the text stays the URL", () => {
    const url = "https://portal.acme.example/portal/acme-security-evidence";
    const { container } = render(
      <code className="url-breakable">
        <BreakableUrl url={url} />
      </code>,
    );
    const code = container.querySelector("code")!;
    expect(code.textContent).toBe(url);
    // After "https://" (not between its slashes), after the host and after "portal/": never inside the slug.
    expect(code.querySelectorAll("wbr")).toHaveLength(3);
    expect(code.innerHTML).toContain("portal/<wbr>acme-security-evidence");
    expect(code.innerHTML).not.toMatch(/acme-<wbr>/);
  });
});

describe("BreakableEmail", () => {
  it("may wrap after the @ and before dots; the text stays the address", () => {
    const email = "maximilian.mustermann-schneider@acme-devices.example";
    const { container } = render(
      <p>
        <BreakableEmail text={email} />
      </p>,
    );
    const p = container.querySelector("p")!;
    expect(p.textContent).toBe(email);
    expect(p.innerHTML).toBe("maximilian<wbr>.mustermann-schneider@<wbr>acme-devices<wbr>.example");
  });

  it("leaves other text alone", () => {
    const { container } = render(
      <p>
        <BreakableEmail text="ACME Corporation (procurement)" />
      </p>,
    );
    expect(container.querySelector("p")!.innerHTML).toBe("ACME Corporation (procurement)");
  });
});
