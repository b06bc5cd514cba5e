import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "../test/render";
import { TableScroll } from "./TableScroll";

const proto = HTMLElement.prototype;
const original = {
  scrollWidth: Object.getOwnPropertyDescriptor(proto, "scrollWidth"),
  clientWidth: Object.getOwnPropertyDescriptor(proto, "clientWidth"),
};

/** happy-dom does no layout: give elements the widths a phone would. */
function widths(scrollWidth: number, clientWidth: number) {
  Object.defineProperty(proto, "scrollWidth", { configurable: true, get: () => scrollWidth });
  Object.defineProperty(proto, "clientWidth", { configurable: true, get: () => clientWidth });
}

afterEach(() => {
  for (const [k, d] of Object.entries(original)) if (d) Object.defineProperty(proto, k, d);
});

const table = (
  <table>
    <caption>Artifacts</caption>
    <tbody>
      <tr>
        <td>x</td>
      </tr>
    </tbody>
  </table>
);

describe("TableScroll", () => {
  it("a table wider than its column: a visible hint, a named and focusable scroll region", () => {
    widths(725, 356);
    render(<TableScroll label="VEX statements">{table}</TableScroll>);
    expect(screen.getByTestId("scroll-hint").textContent).toContain("scroll the table sideways");
    const region = screen.getByRole("region", { name: "VEX statements (scrolls sideways)" });
    expect(region.getAttribute("tabindex")).toBe("0");
    expect(region.className).toContain("table-wrap");
    expect(region.className).toContain("shadow-end");
    expect(region.getAttribute("aria-describedby")).toBe(screen.getByTestId("scroll-hint").id);
  });

  it("a table that fits: no hint, no extra tab stop", () => {
    widths(958, 958);
    const { container } = render(<TableScroll label="Artifacts">{table}</TableScroll>);
    expect(screen.queryByTestId("scroll-hint")).toBeNull();
    expect(screen.queryByRole("region")).toBeNull();
    expect(container.querySelector(".table-wrap")!.hasAttribute("tabindex")).toBe(false);
  });
});
