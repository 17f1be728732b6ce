// Placeholder until the working group (issue 10) is written.
export default [];
