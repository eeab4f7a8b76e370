// Integer bookkeeping for the usage accumulator: runs numbered densely, and (day, run) pairs
// kept in typed arrays, so a million rows cost no per-row objects or sets.

/**
 * Numbers runs (team, project, run_id) 0, 1, 2, … in order of appearance. One map keyed by run_id,
 * with the rare run_id shared by several teams or projects chained behind it: no key string is
 * built per row, and one map of all runs was 3× faster in a micro-benchmark than a map per team
 * and project (V8 Map lookups slow down when many large maps are used in turn).
 */
export function createRunInterner() {
  const byRunId = new Map<string, number>();
  const projectIds = new Map<string, number>();
  /** Per run, side by side (one memory access): its team, its project, the next run with its run_id or -1. */
  let runs = new Int32Array(3 << 12);
  let count = 0;
  const create = (team: number, project: number): number => {
    if (3 * count === runs.length) runs = grown(runs);
    runs[3 * count] = team;
    runs[3 * count + 1] = project;
    runs[3 * count + 2] = -1;
    return count++;
  };
  return {
    count: () => count,
    intern(team: number, projectName: string, runId: string): number {
      let project = projectIds.get(projectName);
      if (project === undefined) {
        project = projectIds.size;
        projectIds.set(projectName, project);
      }
      const first = byRunId.get(runId);
      if (first === undefined) {
        const id = create(team, project);
        byRunId.set(runId, id);
        return id;
      }
      for (let id = first; ; ) {
        if (runs[3 * id] === team && runs[3 * id + 1] === project) return id;
        const next = runs[3 * id + 2]!;
        if (next === -1) {
          const added = create(team, project);
          runs[3 * id + 2] = added;
          return added;
        }
        id = next;
      }
    },
  };
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** Integer pairs appended to a growing typed array, then grouped by their first member. */
export function createPairLog() {
  let pairs = new Int32Array(1 << 16);
  let length = 0;
  return {
    push(first: number, second: number): void {
      if (length + 2 > pairs.length) pairs = grown(pairs);
      pairs[length] = first;
      pairs[length + 1] = second;
      length += 2;
    },
    /** The second members grouped by first member (a counting sort); firsts are below `groups`. */
    groupByFirst(groups: number): (first: number) => Int32Array {
      const start = new Int32Array(groups + 1);
      for (let i = 0; i < length; i += 2) start[pairs[i]! + 1]!++;
      for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
      const next = start.slice(0, groups);
      const seconds = new Int32Array(length / 2);
      for (let i = 0; i < length; i += 2) seconds[next[pairs[i]!]!++] = pairs[i + 1]!;
      return (first) => seconds.subarray(start[first]!, start[first + 1]!);
    },
  };
}
