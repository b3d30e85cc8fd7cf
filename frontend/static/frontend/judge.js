// What the judges' two pages share: their whole queue (every page of it).
import { listAll } from "./api.js";

export function assignmentsAll(query = {}) {
  return listAll("/api/assignments/", query);
}
