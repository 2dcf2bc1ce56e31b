import { describe, expect, it } from "vitest";
import { fixCorsPolicies, literalCorsOrigins, removeCorsOrigins } from "../../generators/lib/editors/fastapi-cors.js";
import { addPackageDependencies, removePackageMembers } from "../../generators/lib/editors/package-json.js";
import { compareEntries } from "../../generators/lib/steps/added-entries.js";

// What a changed answer takes out again must leave the file exactly as it was before the entry was added.

describe("removePackageMembers", () => {
  const layouts = {
    "two spaces, sorted": '{\n  "name": "web",\n  "dependencies": {\n    "better-auth": "^1.7.0",\n    "next": "^16.0.0"\n  }\n}\n',
    tabs: '{\n\t"dependencies": {\n\t\t"next": "^16.0.0",\n\t\t"react": "^19.0.0"\n\t}\n}\n',
    "one line": '{"dependencies":{"next":"^16.0.0","react":"^19.0.0"}}',
    unsorted: '{\n  "dependencies": {\n    "react": "^19.0.0",\n    "next": "^16.0.0"\n  }\n}\n',
  };
  for (const [name, text] of Object.entries(layouts)) {
    for (const added of ["jose", "aaa-first", "zzz-last"]) {
      it(`undoes adding ${added} (${name})`, () => {
        const withIt = addPackageDependencies(text, { [added]: "^1.0.0" }, { file: "package.json" });
        expect(withIt).not.toBe(text);
        expect(removePackageMembers(withIt, "dependencies", [added], { file: "package.json" })).toBe(text);
      });
    }
  }

  it("changes nothing for a name that is not there", () => {
    expect(removePackageMembers(layouts.tabs, "dependencies", ["jose"], { file: "package.json" })).toBe(layouts.tabs);
  });
});

describe("removeCorsOrigins", () => {
  const app = (origins: string) => `from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(\n    CORSMiddleware,\n    allow_origins=${origins},\n    allow_headers=["*"],\n)\n`;
  const lists = {
    inline: '["http://localhost:3000"]',
    "inline, trailing comma": '["http://localhost:3000",]',
    "one per line": '[\n        "http://localhost:3000",\n    ]',
    "one per line, no trailing comma": '[\n        "http://localhost:3000"\n    ]',
    tuple: '("http://localhost:3000", "http://127.0.0.1:3000")',
  };
  for (const [name, list] of Object.entries(lists)) {
    it(`undoes adding an origin (${name})`, () => {
      const text = app(list);
      const options = { file: "main.py", appVariable: "app", origin: "http://localhost:3100", extraOrigins: ["https://app.example.com"] };
      const fixed = fixCorsPolicies(text, options).text;
      expect(literalCorsOrigins(fixed)).toEqual(expect.arrayContaining(["http://localhost:3100", "https://app.example.com"]));
      expect(removeCorsOrigins(fixed, ["http://localhost:3100", "https://app.example.com"])).toBe(text);
    });
  }

  it("removes only the origins named, and the first item with its separator", () => {
    const text = app('["http://a.test", "http://b.test"]');
    expect(removeCorsOrigins(text, ["http://a.test"])).toBe(app('["http://b.test"]'));
  });
});

describe("compareEntries", () => {
  it("treats an entry present before the tool wrote it as the user's: never recorded, never stale", () => {
    const changes = compareEntries([{ key: "A", value: "1" }], {}, new Map([["A", "mine"]]));
    expect(changes).toEqual({ stale: [], updates: [], kept: [], record: {} });
  });

  it("updates an entry it wrote that nobody changed, keeps one the user changed, and drops one no answer wants", () => {
    const changes = compareEntries(
      [{ key: "URL", value: "new" }, { key: "EDITED", value: "new" }, { key: "SECRET", value: "s3cr3t", secret: true }],
      { URL: "old", EDITED: "old", SECRET: null, GONE: "x" },
      new Map([["URL", "old"], ["EDITED", "theirs"], ["SECRET", "s3cr3t"], ["GONE", "x"]]),
    );
    expect(changes.updates).toEqual([{ key: "URL", value: "new" }]);
    expect(changes.kept).toEqual([{ key: "EDITED", value: "theirs", wanted: "new" }]);
    expect(changes.stale).toEqual(["GONE"]);
    // A secret's value is never recorded.
    expect(changes.record).toEqual({ URL: "new", EDITED: "old", SECRET: null });
  });
});
