// The contacts browser's view logic (通讯录), kept out of the page so it is
// unit-tested: the department tree from department/list and the lines the
// member panel shows.
import type { DepartmentDTO, MemberDTO } from "./bindings.gen";

export interface DeptNode {
  key: number;
  label: string;
  children?: DeptNode[];
}

/** departmentTree nests the departments under their parents (a department
 * whose parent the app cannot see becomes a root), keeping the order
 * ContactService.Departments gave (siblings by WeCom's order). */
export function departmentTree(deps: DepartmentDTO[] | null): DeptNode[] {
  const list = deps ?? [];
  const ids = new Set(list.map((d) => d.id));
  const nodes = new Map<number, DeptNode>();
  for (const d of list) nodes.set(d.id, { key: d.id, label: `${d.name} (${d.id})` });
  const roots: DeptNode[] = [];
  for (const d of list) {
    const n = nodes.get(d.id)!;
    if (d.parentId !== 0 && d.parentId !== d.id && ids.has(d.parentId)) {
      const p = nodes.get(d.parentId)!;
      (p.children ??= []).push(n);
    } else {
      roots.push(n);
    }
  }
  return roots;
}

/** departmentName names a department id for a member's list. */
export function departmentNames(ids: number[] | null, deps: DepartmentDTO[] | null): string {
  const byId = new Map((deps ?? []).map((d) => [d.id, d.name]));
  return (ids ?? []).map((id) => byId.get(id) ?? String(id)).join(", ");
}

/** statusKey is the i18n key of a member status (1 active, 2 disabled,
 * 4 not activated, 5 exited; 0: not in the answer, e.g. simplelist). */
export function statusKey(status: number): string {
  switch (status) {
    case 1: return "contacts.status.active";
    case 2: return "contacts.status.disabled";
    case 4: return "contacts.status.inactive";
    case 5: return "contacts.status.exited";
    default: return "contacts.status.unknown";
  }
}

/** genderKey is the i18n key of gender "0"/"1"/"2". */
export function genderKey(g: string | undefined): string {
  return g === "1" ? "contacts.gender.male" : g === "2" ? "contacts.gender.female" : "contacts.gender.unknown";
}

/** memberFields are the member's fields to show, in order, with the value
 * as the API returned it ("" when it left the field out). */
export function memberFields(m: MemberDTO): [key: string, value: string][] {
  return [
    ["contacts.field.userId", m.userId],
    ["contacts.field.name", m.name],
    ["contacts.field.position", m.position ?? ""],
    ["contacts.field.mobile", m.mobile ?? ""],
    ["contacts.field.email", m.email ?? ""],
    ["contacts.field.bizMail", m.bizMail ?? ""],
    ["contacts.field.telephone", m.telephone ?? ""],
    ["contacts.field.alias", m.alias ?? ""],
    ["contacts.field.address", m.address ?? ""],
    ["contacts.field.openUserId", m.openUserId ?? ""],
  ];
}
