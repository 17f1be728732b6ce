// directory.mjs — being written.
export default [];
