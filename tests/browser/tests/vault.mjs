// The evidence vault (issue 11): placeholder, written by the vault half.
export default [];
