import { describe, expect, it } from "vitest";
import { readForm } from "~/utils/form.server";

const post = (body: string, type = "application/x-www-form-urlencoded") =>
  new Request("http://care-circle.test/", { method: "POST", headers: { "Content-Type": type }, body });

describe("reading a form", () => {
  it("drops NUL characters from text, so a value of NULs reads as empty, as the database would read it", async () => {
    const form = await readForm(post("message=%00&wins=a%00walk&wins=%00"));
    expect(form.get("message")).toBe("");
    expect(form.getAll("wins")).toEqual(["awalk", ""]);
  });

  it("answers 400 to a body that is not a form", async () => {
    await expect(readForm(post("--x\r\nnot multipart", "multipart/form-data; boundary=y"))).rejects.toMatchObject({
      status: 400,
    });
  });
});
