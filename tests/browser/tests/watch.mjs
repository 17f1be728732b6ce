// Placeholder until the watch part of issue 9 is written.
export default [];
