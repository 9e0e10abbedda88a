import * as acorn from "acorn";
import * as walk from "acorn-walk";

/** How a free name is used inside the analysed code. */
export interface FreeNameUse {
  readonly name: string;
  /** Offsets (in the analysed text) of every reference, in source order. */
  readonly positions: number[];
  /** Properties read as `name.prop` / `name?.prop` (non-computed). */
  readonly members: Set<string>;
  /** Used other than as `name.prop`: bare, called, passed, computed member access. */
  bare: boolean;
  /** Every use is `typeof name`, which does not throw when the name is missing. */
  typeofOnly: boolean;
  /** Assigned to (`name = …`, `name++`): the worker only changes its own copy. */
  written: boolean;
}

/** What `analyzeFreeNames` found. */
export interface FreeNameAnalysis {
  /** Names the code refers to but does not declare, by name. */
  readonly free: Map<string, FreeNameUse>;
  /** `this` used where no function or class of the code binds it (an arrow's outer `this`). */
  readonly freeThis: boolean;
  /** `super` used outside any class of the code (a method copied out of its class). */
  readonly freeSuper: boolean;
  /** Private names (`#x`) declared by classes in the code: instances then hold state no copy can reach. */
  readonly privateNames: boolean;
}

type DeclKind = "var" | "lexical" | "param";

class Scope {
  readonly names = new Set<string>();
  constructor(
    readonly parent: Scope | undefined,
    /** Where `var` declarations land: function bodies, static blocks, the program. */
    readonly isVarScope: boolean,
    /** Binds `this` (non-arrow functions, class field initialisers, static blocks). */
    readonly bindsThis: boolean,
    /** Inside a class body: `super` is bound. */
    readonly bindsSuper: boolean,
  ) {}

  varScope(): Scope {
    return this.isVarScope || !this.parent ? this : this.parent.varScope();
  }

  resolves(name: string): boolean {
    return this.names.has(name) || (this.parent?.resolves(name) ?? false);
  }
}

interface Ref {
  name: string;
  scope: Scope;
  start: number;
  member?: string;
  bare: boolean;
  typeofRef: boolean;
  write: boolean;
}

/** Walk state: the current scope, and how a pattern identifier met now is to be read. */
interface State {
  scope: Scope;
  /** Set while walking a declaration's binding pattern; unset means "assignment target". */
  declare?: DeclKind;
}

/** acorn-walk's callback; its third argument (a node type to walk as) is missing from its typings. */
type Walker = (node: acorn.AnyNode, state: State, as?: string) => void;
type Visitor<N> = (node: N, st: State, c: Walker) => void;
type AnyFunction = acorn.FunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;
type AnyClass = acorn.ClassDeclaration | acorn.ClassExpression;

/**
 * Parses `source` (a script, typically one parenthesised function or class expression) with acorn and
 * returns the names it uses without declaring them, found by a real scope walk: hoisting, block scopes,
 * parameter scopes, named function and class expressions, catch parameters, labels and property keys
 * (which are not references) are all taken into account.
 *
 * @throws SyntaxError from acorn when `source` does not parse.
 */
export function analyzeFreeNames(source: string): FreeNameAnalysis {
  const program = acorn.parse(source, { ecmaVersion: "latest", sourceType: "script", allowSuperOutsideMethod: true });
  const root = new Scope(undefined, true, false, false);
  const refs: Ref[] = [];
  let freeThis = false;
  let freeSuper = false;
  let privateNames = false;

  const declare = (scope: Scope, name: string, kind: DeclKind): void => {
    (kind === "var" ? scope.varScope() : scope).names.add(name);
  };

  const addRef = (node: acorn.Identifier, scope: Scope, flags: Partial<Ref> = {}): void => {
    refs.push({ name: node.name, scope, start: node.start, bare: true, typeofRef: false, write: false, ...flags });
  };

  const walkFunction = (node: AnyFunction, st: State, c: Walker): void => {
    let outer = st.scope;
    if (node.type === "FunctionDeclaration" && node.id) {
      declare(outer, node.id.name, "lexical");
      // Annex B: a function declared in a block is also visible function-wide in sloppy code.
      declare(outer, node.id.name, "var");
    } else if (node.type === "FunctionExpression" && node.id) {
      outer = new Scope(outer, false, false, false);
      outer.names.add(node.id.name);
    }
    const isArrow = node.type === "ArrowFunctionExpression";
    const params = new Scope(outer, true, !isArrow, false);
    if (!isArrow) params.names.add("arguments");
    for (const p of node.params) c(p, { scope: params, declare: "param" }, "Pattern");
    if (node.body.type === "BlockStatement") {
      // Parameter defaults cannot see the body's declarations: the body is a scope of its own.
      const body = new Scope(params, true, false, false);
      for (const s of node.body.body) c(s, { scope: body }, "Statement");
    } else {
      c(node.body, { scope: params }, "Expression");
    }
  };

  const walkClass = (node: AnyClass, st: State, c: Walker): void => {
    if (node.type === "ClassDeclaration" && node.id) declare(st.scope, node.id.name, "lexical");
    if (node.superClass) c(node.superClass, { scope: st.scope }, "Expression");
    const inner = new Scope(st.scope, false, false, true);
    if (node.id) inner.names.add(node.id.name);
    for (const member of node.body.body) {
      if (member.type === "StaticBlock") {
        const block = new Scope(inner, true, true, true);
        for (const s of member.body) c(s, { scope: block }, "Statement");
        continue;
      }
      if (member.key.type === "PrivateIdentifier") privateNames = true;
      else if (member.computed) c(member.key, { scope: inner }, "Expression");
      if (member.type === "MethodDefinition") c(member.value, { scope: inner }, "Expression");
      else if (member.value) c(member.value, { scope: new Scope(inner, false, true, true) }, "Expression");
    }
  };

  const walkBlock = (body: acorn.Statement[], st: State, c: Walker): void => {
    const scope = new Scope(st.scope, false, false, false);
    for (const s of body) c(s, { scope }, "Statement");
  };

  const visitors: Record<string, Visitor<never>> = {
    Identifier: (node: acorn.Identifier, st: State) => addRef(node, st.scope),
    VariablePattern: (node: acorn.Identifier, st: State) => {
      if (st.declare) declare(st.scope, node.name, st.declare);
      else addRef(node, st.scope, { write: true });
    },
    VariableDeclaration: (node: acorn.VariableDeclaration, st: State, c: Walker) => {
      const kind: DeclKind = node.kind === "var" ? "var" : "lexical";
      for (const d of node.declarations) {
        c(d.id, { scope: st.scope, declare: kind }, "Pattern");
        if (d.init) c(d.init, { scope: st.scope }, "Expression");
      }
    },
    FunctionDeclaration: walkFunction,
    FunctionExpression: walkFunction,
    ArrowFunctionExpression: walkFunction,
    ClassDeclaration: walkClass,
    ClassExpression: walkClass,
    BlockStatement: (node: acorn.BlockStatement, st: State, c: Walker) => walkBlock(node.body, st, c),
    StaticBlock: (node: acorn.StaticBlock, st: State, c: Walker) => walkBlock(node.body, st, c),
    ForStatement: (node: acorn.ForStatement, st: State, c: Walker) => {
      const scope = new Scope(st.scope, false, false, false);
      if (node.init) c(node.init, { scope }, node.init.type === "VariableDeclaration" ? "Statement" : "Expression");
      if (node.test) c(node.test, { scope }, "Expression");
      if (node.update) c(node.update, { scope }, "Expression");
      c(node.body, { scope }, "Statement");
    },
    ForInStatement: (node: acorn.ForInStatement, st: State, c: Walker) => walkForEach(node, st, c),
    ForOfStatement: (node: acorn.ForOfStatement, st: State, c: Walker) => walkForEach(node, st, c),
    SwitchStatement: (node: acorn.SwitchStatement, st: State, c: Walker) => {
      c(node.discriminant, st, "Expression");
      const scope = new Scope(st.scope, false, false, false);
      for (const cs of node.cases) {
        if (cs.test) c(cs.test, { scope }, "Expression");
        for (const s of cs.consequent) c(s, { scope }, "Statement");
      }
    },
    CatchClause: (node: acorn.CatchClause, st: State, c: Walker) => {
      const scope = new Scope(st.scope, false, false, false);
      if (node.param) c(node.param, { scope, declare: "lexical" }, "Pattern");
      c(node.body, { scope }, "Statement");
    },
    AssignmentExpression: (node: acorn.AssignmentExpression, st: State, c: Walker) => {
      // The left side is a target (identifiers written), not a declaration.
      if (node.left.type === "Identifier") addRef(node.left, st.scope, { write: true });
      else c(node.left, { scope: st.scope }, "Pattern");
      c(node.right, { scope: st.scope }, "Expression");
    },
    UpdateExpression: (node: acorn.UpdateExpression, st: State, c: Walker) => {
      if (node.argument.type === "Identifier") addRef(node.argument, st.scope, { write: true });
      else c(node.argument, st, "Expression");
    },
    UnaryExpression: (node: acorn.UnaryExpression, st: State, c: Walker) => {
      if (node.operator === "typeof" && node.argument.type === "Identifier") addRef(node.argument, st.scope, { typeofRef: true });
      else c(node.argument, st, "Expression");
    },
    MemberExpression: (node: acorn.MemberExpression, st: State, c: Walker) => {
      if (node.object.type === "Identifier" && !node.computed && node.property.type === "Identifier") {
        addRef(node.object, st.scope, { member: node.property.name, bare: false });
        return;
      }
      if (node.object.type === "Super") {
        if (!hasSuper(st.scope)) freeSuper = true;
      } else c(node.object, st, "Expression");
      if (node.computed) c(node.property, st, "Expression");
    },
    Property: (node: acorn.Property, st: State, c: Walker) => {
      if (node.computed) c(node.key, st, "Expression");
      // An object-literal method may use `super` (its home object is the literal).
      const scope = node.method || node.kind !== "init" ? new Scope(st.scope, false, false, true) : st.scope;
      c(node.value, { scope }, "Expression");
    },
    ThisExpression: (_node: acorn.ThisExpression, st: State) => {
      if (!hasThis(st.scope)) freeThis = true;
    },
    Super: (_node: acorn.Super, st: State) => {
      if (!hasSuper(st.scope)) freeSuper = true;
    },
    // Labels and `new.target` / `import.meta` carry identifiers that are not variables.
    LabeledStatement: (node: acorn.LabeledStatement, st: State, c: Walker) => c(node.body, st, "Statement"),
    BreakStatement: () => undefined,
    ContinueStatement: () => undefined,
    MetaProperty: () => undefined,
  };

  function walkForEach(node: acorn.ForInStatement | acorn.ForOfStatement, st: State, c: Walker): void {
    const scope = new Scope(st.scope, false, false, false);
    if (node.left.type === "VariableDeclaration") c(node.left, { scope }, "Statement");
    else c(node.left, { scope }, "Pattern");
    c(node.right, { scope }, "Expression");
    c(node.body, { scope }, "Statement");
  }

  walk.recursive(program, { scope: root }, visitors);

  const free = new Map<string, FreeNameUse>();
  for (const r of refs) {
    if (r.scope.resolves(r.name)) continue;
    let use = free.get(r.name);
    if (!use) {
      use = { name: r.name, positions: [], members: new Set(), bare: false, typeofOnly: true, written: false };
      free.set(r.name, use);
    }
    use.positions.push(r.start);
    if (r.member !== undefined) use.members.add(r.member);
    else use.bare = true;
    if (!r.typeofRef) use.typeofOnly = false;
    if (r.write) use.written = true;
  }
  for (const use of free.values()) use.positions.sort((a, b) => a - b);
  return { free, freeThis, freeSuper, privateNames };
}

function hasThis(scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.bindsThis) return true;
  return false;
}

function hasSuper(scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.bindsSuper) return true;
  return false;
}
