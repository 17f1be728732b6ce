// Placeholder until the newsletter part of issue 9 is written.
export default [];
