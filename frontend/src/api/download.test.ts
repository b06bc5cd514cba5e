import { describe, expect, it } from "vitest";
import { filenameFromDisposition } from "./download";

describe("filenameFromDisposition", () => {
  it("reads the name the server gives", () => {
    expect(filenameFromDisposition('attachment; filename="router-2.0.zip"')).toBe("router-2.0.zip");
    expect(filenameFromDisposition("attachment; filename=router-2.0.zip")).toBe("router-2.0.zip");
    expect(filenameFromDisposition('attachment; filename="a \\"b\\".zip"')).toBe('a "b".zip');
  });

  it("prefers RFC 5987's filename*, decoded", () => {
    expect(filenameFromDisposition("attachment; filename=\"fallback.zip\"; filename*=UTF-8''m%C3%BCller-1.0.zip")).toBe("müller-1.0.zip");
  });

  it("drops any path, and answers null without a name", () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(filenameFromDisposition("attachment")).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
