import { describe, expect, it } from "vitest";
import { departmentNames, departmentTree, genderKey, memberFields, statusKey } from "../src/contacts";
import { en, zh } from "../src/i18n";
import type { DepartmentDTO } from "../src/bindings.gen";

const dep = (id: number, parentId: number, name: string): DepartmentDTO => ({ id, parentId, name, order: 0, leaders: [] });

describe("contacts browser", () => {
  it("nests departments under their parents, in the order given", () => {
    const tree = departmentTree([dep(1, 0, "示例科技"), dep(2, 1, "研发部"), dep(3, 1, "市场部"), dep(4, 2, "前端组")]);
    expect(tree).toEqual([{ key: 1, label: "示例科技 (1)", children: [
      { key: 2, label: "研发部 (2)", children: [{ key: 4, label: "前端组 (4)" }] },
      { key: 3, label: "市场部 (3)" },
    ] }]);
  });
  it("a department whose parent is outside the visible range is a root", () => {
    expect(departmentTree([dep(3, 1, "市场部"), dep(5, 3, "华南")]).map((n) => n.key)).toEqual([3]);
    expect(departmentTree([dep(3, 1, "市场部"), dep(2, 1, "研发部")]).map((n) => n.key)).toEqual([3, 2]);
    expect(departmentTree(null)).toEqual([]);
  });
  it("names a member's departments, falling back to the id", () => {
    expect(departmentNames([2, 9], [dep(2, 1, "研发部")])).toBe("研发部, 9");
    expect(departmentNames(null, null)).toBe("");
  });
  it("maps status and gender to texts both languages have", () => {
    const get = (o: unknown, k: string) => k.split(".").reduce((x: unknown, p) => (x as Record<string, unknown>)?.[p], o);
    for (const k of [statusKey(1), statusKey(2), statusKey(4), statusKey(5), statusKey(0), genderKey("1"), genderKey("2"), genderKey(undefined)]) {
      expect(typeof get(en, k), k).toBe("string");
      expect(typeof get(zh, k), k).toBe("string");
    }
    expect(statusKey(4)).toBe("contacts.status.inactive");
    for (const [k] of memberFields({ userId: "u", name: "n", departments: [], status: 1 })) {
      expect(typeof get(zh, k), k).toBe("string");
    }
  });
  it("shows the fields as the API returned them, empty when left out", () => {
    const f = Object.fromEntries(memberFields({ userId: "zhangsan", name: "张三", departments: [1], status: 1, mobile: "13800000001" }));
    expect(f["contacts.field.mobile"]).toBe("13800000001");
    expect(f["contacts.field.email"]).toBe("");
  });
});
