// Placeholder until the annual part of issue 9 is written.
export default [];
