// Kept apart from the chart so pages can show the legend without loading the chart library.
// One colour per phase, the same in both lanes; the lane is told by the side of the axis.
export const PHASE_COLOURS: Record<string, string> = {
  "initial access": "#991b1b",
  activity: "#ef4444",
  detection: "#d97706",
  investigation: "#8b5cf6",
  containment: "#0284c7",
  mitigation: "#059669",
  notification: "#4f46e5",
  "post-incident": "#64748b",
};
