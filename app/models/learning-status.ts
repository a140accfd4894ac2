/** Where a supporter stands with one module (browser-safe: the pages show it, the server decides it). */
export const learningStatuses = ["not_started", "in_progress", "completed", "overdue"] as const;
export type LearningStatus = (typeof learningStatuses)[number];

/** A supporter's progress on one module, across the versions they took. */
export type LearningProgress = {
  sectionsRead: number;
  sectionsTotal: number;
  passed: boolean;
  bestScore: number | null;
  attempts: number;
  completedAt: Date | null;
};

export const passMarkPercent = 80;

/** Sections read plus the knowledge check, as a share of the whole module (0–100). */
export function progressPercent(progress: LearningProgress | undefined): number {
  if (!progress) return 0;
  if (progress.completedAt) return 100;
  const steps = progress.sectionsTotal + 1;
  return Math.round(((progress.sectionsRead + (progress.passed ? 1 : 0)) / steps) * 100);
}

/** An asked-for module is overdue when its due date (program time zone) has passed and it is not completed. */
export function learningStatus(progress: LearningProgress | undefined, dueOn: string | null, today: string): LearningStatus {
  if (progress?.completedAt) return "completed";
  if (dueOn !== null && dueOn < today) return "overdue";
  return progress ? "in_progress" : "not_started";
}
