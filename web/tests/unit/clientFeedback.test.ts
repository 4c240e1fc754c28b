import { describe, expect, it } from "vitest";
import { chromeFor, shown, stepped, valueAt } from "../../src/lib/clientFeedback";

describe("a visual analogue line", () => {
  it("reads a mark as 0.0 to 10.0, to one decimal, from where it is on the line", () => {
    expect(valueAt(0, 378)).toBe(0);
    expect(valueAt(378, 378)).toBe(10);
    expect(valueAt(189, 378)).toBe(5);
    expect(valueAt(100, 378)).toBe(2.6);
    expect(valueAt(-20, 378)).toBe(0);
    expect(valueAt(500, 378)).toBe(10);
    expect(valueAt(10, 0)).toBe(0);
  });

  it("moves by 0.1 with the arrow keys and 1.0 with the page keys, within the ends", () => {
    expect(stepped(7.5, "ArrowRight")).toBe(7.6);
    expect(stepped(7.5, "ArrowUp")).toBe(7.6);
    expect(stepped(0.2, "ArrowLeft")).toBe(0.1);
    expect(stepped(0.1, "ArrowRight")).toBe(0.2);
    expect(stepped(0.2, "ArrowRight")).toBe(0.3);
    expect(stepped(4.3, "PageUp")).toBe(5.3);
    expect(stepped(9.5, "PageUp")).toBe(10);
    expect(stepped(0.4, "PageDown")).toBe(0);
    expect(stepped(6, "Home")).toBe(0);
    expect(stepped(6, "End")).toBe(10);
    expect(stepped(null, "ArrowRight")).toBe(0.1);
    expect(stepped(5, "Enter")).toBeNull();
  });
});

describe("the page's own words", () => {
  it("speak the wording's language when the page has it, else the browser's, else English", () => {
    expect(chromeFor("de", ["en-GB"]).lang).toBe("de");
    expect(chromeFor("fr", ["de-AT", "en"]).lang).toBe("de");
    expect(chromeFor(null, ["fr-FR", "es"]).lang).toBe("en");
    expect(chromeFor("en", ["de"]).lang).toBe("en");
  });

  it("write a value with the language's decimal mark", () => {
    expect(shown(7.5, chromeFor("de", []))).toBe("7,5");
    expect(shown(7, chromeFor("en", []))).toBe("7.0");
  });
});
